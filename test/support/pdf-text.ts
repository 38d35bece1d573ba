// Reads back the text of a PDF that pdfkit wrote (embedded TrueType subsets, Identity-H, ToUnicode maps),
// without a PDF library or poppler: enough to assert what a page says.
import { inflateSync } from 'node:zlib';

interface PdfObject {
  dict: string;
  stream?: Buffer;
}

export interface PdfText {
  pageCount: number;
  /** Each page's text; a new line wherever the text position moves to another line. */
  pages: string[];
}

export function extractPdfText(pdf: Buffer): PdfText {
  const objects = readObjects(pdf);
  const pageDicts = [...objects.values()].filter((object) => /\/Type\s*\/Page(?![a-zA-Z])/.test(object.dict));
  const unicodeMaps = new Map<number, Map<number, string>>();
  const pages = pageDicts.map((page) => {
    const resources = resolveDict(objects, page.dict, 'Resources');
    const fontRefs = new Map<string, number>();
    const fontDict = /\/Font\s*<<([\s\S]*?)>>/.exec(resources)?.[1] ?? '';
    for (const [, name, ref] of fontDict.matchAll(/\/(\S+?)\s+(\d+)\s+0\s+R/g)) fontRefs.set(name!, Number(ref));
    const contents = refsOf(page.dict, 'Contents').map((ref) => objects.get(ref)?.stream?.toString('latin1') ?? '');
    return decodeContent(contents.join('\n'), (name) => {
      const ref = fontRefs.get(name);
      if (ref === undefined) return new Map();
      let map = unicodeMaps.get(ref);
      if (!map) {
        const toUnicode = refsOf(objects.get(ref)?.dict ?? '', 'ToUnicode')[0];
        map = parseToUnicode(toUnicode === undefined ? '' : (objects.get(toUnicode)?.stream?.toString('latin1') ?? ''));
        unicodeMaps.set(ref, map);
      }
      return map;
    });
  });
  return { pageCount: pages.length, pages };
}

function readObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1'); // one char per byte, so string offsets are buffer offsets
  const objects = new Map<number, PdfObject>();
  for (const match of text.matchAll(/(\d+)\s+0\s+obj\b([\s\S]*?)\bendobj/g)) {
    const body = match[2]!;
    const streamAt = body.search(/\bstream\r?\n/);
    if (streamAt < 0) {
      objects.set(Number(match[1]), { dict: body });
      continue;
    }
    const dict = body.slice(0, streamAt);
    const start = match.index + match[0].indexOf(body) + streamAt + /\bstream\r?\n/.exec(body.slice(streamAt))![0].length;
    const length = Number(/\/Length\s+(\d+)/.exec(dict)?.[1] ?? 0);
    let stream = pdf.subarray(start, start + length);
    if (/\/FlateDecode/.test(dict)) stream = inflateSync(stream);
    objects.set(Number(match[1]), { dict, stream });
  }
  return objects;
}

function refsOf(dict: string, key: string): number[] {
  const single = new RegExp(`/${key}\\s+(\\d+)\\s+0\\s+R`).exec(dict);
  if (single) return [Number(single[1])];
  const array = new RegExp(`/${key}\\s*\\[([^\\]]*)\\]`).exec(dict);
  return array ? [...array[1]!.matchAll(/(\d+)\s+0\s+R/g)].map((m) => Number(m[1])) : [];
}

function resolveDict(objects: Map<number, PdfObject>, dict: string, key: string): string {
  const ref = refsOf(dict, key)[0];
  return ref === undefined ? dict : (objects.get(ref)?.dict ?? '');
}

function hexToText(spacedHex: string): string {
  const hex = spacedHex.replace(/\s+/g, ''); // pdfkit writes a glyph standing for two characters as <0e49 0e33>
  let text = '';
  for (let i = 0; i + 4 <= hex.length; i += 4) text += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
  return text;
}

function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const [, body] of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, code, target] of body!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F\s]*)>/g)) map.set(parseInt(code!, 16), hexToText(target!));
  }
  for (const [, body] of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, low, high, rest] of body!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F\s]*>)/g)) {
      const first = parseInt(low!, 16);
      const last = parseInt(high!, 16);
      if (rest!.startsWith('[')) {
        const targets = [...rest!.matchAll(/<([0-9a-fA-F\s]*)>/g)].map((m) => hexToText(m[1]!));
        targets.forEach((target, offset) => map.set(first + offset, target));
      } else {
        const base = parseInt(rest!.slice(1, -1), 16);
        for (let code = first; code <= last; code++) map.set(code, String.fromCharCode(base + code - first));
      }
    }
  }
  return map;
}

/** Walks Tf (font), Tm/Td (position) and the hex strings of Tj/TJ. */
function decodeContent(content: string, unicodeMapOf: (fontName: string) => Map<number, string>): string {
  let map = new Map<number, string>();
  let lastY: number | undefined;
  let text = '';
  for (const [token, fontName, tmY, hex] of content.matchAll(/\/(\S+)\s+[\d.]+\s+Tf|[-\d.]+\s+[-\d.]+\s+[-\d.]+\s+[-\d.]+\s+[-\d.]+\s+([-\d.]+)\s+Tm|<([0-9a-fA-F]*)>/g)) {
    if (fontName !== undefined) map = unicodeMapOf(fontName);
    else if (tmY !== undefined) {
      const y = Number(tmY);
      if (lastY !== undefined && Math.abs(y - lastY) > 6 && text.length > 0 && !text.endsWith('\n')) text += '\n';
      lastY = y;
    } else if (hex !== undefined && token.length > 0) {
      for (let i = 0; i + 4 <= hex.length; i += 4) text += map.get(parseInt(hex.slice(i, i + 4), 16)) ?? '';
    }
  }
  return text;
}
