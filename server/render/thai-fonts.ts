// Sarabun comes inside an npm package, so rendering Thai (PDFs with pdfkit, images with @napi-rs/canvas) needs no
// font installed on the machine.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadCanvas } from './heavy-libraries.ts';

const require = createRequire(import.meta.url);

const FONT_FILES = {
  regular: '@expo-google-fonts/sarabun/400Regular/Sarabun_400Regular.ttf',
  bold: '@expo-google-fonts/sarabun/700Bold/Sarabun_700Bold.ttf',
} as const;

export type SarabunWeight = keyof typeof FONT_FILES;

const cache = new Map<SarabunWeight, Buffer>();

/** The .ttf bytes of Sarabun in one weight, read from disk once per process. */
export function sarabunFont(weight: SarabunWeight): Buffer {
  let bytes = cache.get(weight);
  if (!bytes) {
    bytes = readFileSync(require.resolve(FONT_FILES[weight]));
    cache.set(weight, bytes);
  }
  return bytes;
}

/**
 * Every Thai character on its own, except SARA AM; and each tone mark stacked on NIKHAHIT.
 *
 * pdfkit writes a glyph's text (its ToUnicode entry) from the first run that used it. The shaper draws
 * SARA AM (ำ) as NIKHAHIT + SARA AA and gives the SARA AA glyph no text; if "ำ" came first, every later
 * "า" in the document copied and searched as nothing ("นาง" read as "นง"). Encoding each character
 * alone first makes SARA AA read "า" and the NIKHAHIT glyph "ํ", so "ชำระ" reads "ชําระ", the same text as "ชำระ"
 * once both are compatibility-normalised (NFKC), as PDF readers' search does.
 */
const THAI_PRIMER = [
  ...Array.from({ length: 0x0e5b - 0x0e01 + 1 }, (_, i) => String.fromCharCode(0x0e01 + i)).filter((c) => c !== 'ำ'),
  ...['่', '้', '๊', '๋'].map((tone) => `ก${tone}ํ`),
];

/** Registers Sarabun as the fonts 'regular' and 'bold' on a pdfkit document, primed so Thai copies and searches correctly. */
export function registerSarabun(doc: PDFKit.PDFDocument): void {
  for (const weight of ['regular', 'bold'] as const) {
    doc.registerFont(weight, sarabunFont(weight));
    doc.font(weight);
    // encode() records the glyphs' text without drawing anything on a page.
    const font = (doc as unknown as { _font: { encode(text: string): unknown } })._font;
    for (const text of THAI_PRIMER) font.encode(text);
  }
}

export const THAI_FONT_FAMILY = 'Sarabun';

let canvasFontsRegistered = false;

/** Registers Sarabun (regular and bold) with @napi-rs/canvas once per process. */
export async function registerThaiFonts(): Promise<void> {
  if (canvasFontsRegistered) return;
  const { GlobalFonts } = await loadCanvas();
  for (const file of Object.values(FONT_FILES)) {
    const path = require.resolve(file);
    if (!GlobalFonts.registerFromPath(path)) throw new Error(`could not load font ${path}`);
  }
  canvasFontsRegistered = true;
}
