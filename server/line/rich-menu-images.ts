// Draws a rich menu's PNG from its content: large Sarabun Bold labels, one pictogram per button.
// Build-time only (scripts/build-rich-menus.ts): the server reads the committed PNGs, never @napi-rs/canvas.
import { createRequire } from 'node:module';
import { createCanvas, GlobalFonts, Path2D, type SKRSContext2D } from '@napi-rs/canvas';
import { gridCells, LABEL_BREAK, plainLabel, type Bounds, type RichMenuButton, type RichMenuIcon, type RichMenuSpec } from '../content/rich-menu-content.ts';

const FONT_FAMILY = 'Sarabun WDF';
let fontRegistered = false;

function registerFont(): void {
  if (fontRegistered) return;
  // The .ttf ships inside the npm package, so no machine needs a Thai system font (and none has an emoji font).
  const path = createRequire(import.meta.url).resolve('@expo-google-fonts/sarabun/700Bold/Sarabun_700Bold.ttf');
  if (!GlobalFonts.registerFromPath(path, FONT_FAMILY)) throw new Error(`could not register the Sarabun font at ${path}`);
  fontRegistered = true;
}

// Sizes in image pixels. A phone shows the 2500-pixel-wide image at about 1/2.5 of that in screen
// pixels, so a 160 px label is about 64 screen pixels: large print for readers in their sixties.
const GUTTER = 16; // each tile is inset this much from its cell: 32 px of frame colour between tiles
const RADIUS = 44;
const PAD_X = 40;
const PAD_Y = 40;
const LABEL_MAX = 200;
const LABEL_MIN = 96;
const SUB_RATIO = 0.5;
const SUB_MIN = 64;
const ICON_MAX = 300;
const ICON_MIN = 230;
const ICON_GAP = 40; // pictogram to the label's highest tone mark
const LINE_GAP = 0.1; // × label size, between the lowest vowel of one line and the highest mark of the next
const SUB_GAP = 0.1; // × label size

type Ctx = SKRSContext2D;

const font = (size: number) => `bold ${size}px "${FONT_FAMILY}"`;

interface TextLine {
  kind: 'label' | 'subLabel';
  text: string;
  size: number;
  /** Ink above and below the baseline. Thai stacks vowels and tone marks over and under the consonant,
   *  so lines are stacked by the ink they really have, never by a Latin line height. */
  ascent: number;
  descent: number;
  width: number;
}

function measureLine(ctx: Ctx, kind: TextLine['kind'], text: string, size: number): TextLine {
  ctx.font = font(size);
  const m = ctx.measureText(text);
  return { kind, text, size, ascent: Math.max(m.actualBoundingBoxAscent, 0.6 * size), descent: Math.max(m.actualBoundingBoxDescent, 0), width: m.width };
}

/** The label on one line if it fits, else split at its "|" into two lines; undefined when neither fits. */
function labelLines(ctx: Ctx, label: string, size: number, maxWidth: number): TextLine[] | undefined {
  const whole = measureLine(ctx, 'label', plainLabel(label), size);
  if (whole.width <= maxWidth) return [whole];
  if (!label.includes(LABEL_BREAK)) return undefined;
  const lines = label.split(LABEL_BREAK, 2).map((part) => measureLine(ctx, 'label', plainLabel(part), size));
  return lines.every((line) => line.width <= maxWidth) ? lines : undefined;
}

interface TileLayout {
  lines: TextLine[];
  /** Gap before each line (the first: after the pictogram). */
  gaps: number[];
  textHeight: number;
}

interface MenuLayout {
  labelSize: number;
  iconSize: number;
  tiles: TileLayout[];
}

function tileOf(cell: Bounds): Bounds {
  return { x: cell.x + GUTTER, y: cell.y + GUTTER, width: cell.width - 2 * GUTTER, height: cell.height - 2 * GUTTER };
}

function stackHeight(lines: TextLine[], gaps: number[]): number {
  return lines.reduce((sum, line, index) => sum + line.ascent + line.descent + (index > 0 ? gaps[index]! : 0), 0);
}

/**
 * One label size for the whole menu (tiles that look alike read as a set): the largest at which every
 * label fits, on two lines only where it must, with its sub-label and a pictogram of at least ICON_MIN.
 * A label that needs two lines goes without its sub-label: it already says enough, and the pictogram
 * would shrink for it.
 */
function layoutMenu(ctx: Ctx, menu: RichMenuSpec, tiles: Bounds[]): MenuLayout {
  for (let labelSize = LABEL_MAX; labelSize >= LABEL_MIN; labelSize -= 4) {
    const subSize = Math.max(SUB_MIN, Math.round(labelSize * SUB_RATIO));
    const laidOut: TileLayout[] = [];
    let iconSize = ICON_MAX;
    for (const [index, button] of menu.buttons.entries()) {
      const tile = tiles[index]!;
      const maxWidth = tile.width - 2 * PAD_X;
      const lines = labelLines(ctx, button.label, labelSize, maxWidth);
      if (!lines) break;
      const gaps = [0, ...lines.slice(1).map(() => LINE_GAP * labelSize)];
      if (button.subLabel !== undefined && lines.length === 1) {
        const sub = measureLine(ctx, 'subLabel', button.subLabel, subSize);
        if (sub.width > maxWidth) break;
        lines.push(sub);
        gaps.push(SUB_GAP * labelSize);
      }
      const textHeight = stackHeight(lines, gaps);
      const room = tile.height - 2 * PAD_Y - ICON_GAP - textHeight;
      if (room < ICON_MIN) break;
      iconSize = Math.min(iconSize, room);
      laidOut.push({ lines, gaps, textHeight });
    }
    if (laidOut.length === menu.buttons.length) return { labelSize, iconSize: Math.floor(iconSize), tiles: laidOut };
  }
  throw new Error(`rich menu "${menu.role}": a label is too long to print large enough; shorten it or mark a break with "${LABEL_BREAK}"`);
}

function drawTile(ctx: Ctx, button: RichMenuButton, tile: Bounds, tileLayout: TileLayout, layout: MenuLayout): void {
  const { colors } = button;
  ctx.fillStyle = colors.background;
  ctx.beginPath();
  ctx.roundRect(tile.x, tile.y, tile.width, tile.height, RADIUS);
  ctx.fill();

  // Pictogram and text as one block, centred in the tile.
  const blockHeight = layout.iconSize + ICON_GAP + tileLayout.textHeight;
  let y = tile.y + (tile.height - blockHeight) / 2;
  const centreX = tile.x + tile.width / 2;
  drawIcon(ctx, button.icon, centreX, y + layout.iconSize / 2, layout.iconSize, colors.icon, colors.background);
  y += layout.iconSize + ICON_GAP;

  ctx.textAlign = 'center';
  ctx.textBaseline = 'alphabetic';
  tileLayout.lines.forEach((line, index) => {
    y += (index > 0 ? tileLayout.gaps[index]! : 0) + line.ascent;
    ctx.fillStyle = line.kind === 'label' ? colors.text : colors.subText;
    ctx.font = font(line.size);
    ctx.fillText(line.text, centreX, y);
    y += line.descent;
  });
}

/** The menu as a PNG of exactly `menu.size`; `comment` goes into the PNG's Comment text chunk. */
export function drawRichMenuImage(menu: RichMenuSpec, comment?: string): Buffer {
  registerFont();
  const { width, height } = menu.size;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = menu.frame;
  ctx.fillRect(0, 0, width, height);
  const tiles = gridCells(menu).map(tileOf);
  const layout = layoutMenu(ctx, menu, tiles);
  menu.buttons.forEach((button, index) => drawTile(ctx, button, tiles[index]!, layout.tiles[index]!, layout));
  return canvas.toBuffer('image/png', comment === undefined ? {} : { comment });
}

// ---- Pictograms -------------------------------------------------------------------------------
// Each is drawn in a 100 × 100 box with plain shapes: no emoji or icon font exists on these machines,
// and shapes stay crisp at any size. `ink` is the pictogram colour, `paper` the tile colour behind it.

type IconPainter = (ctx: Ctx, ink: string, paper: string) => void;

function stroke(ctx: Ctx, ink: string, width: number, draw: () => void): void {
  ctx.strokeStyle = ink;
  ctx.lineWidth = width;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.beginPath();
  draw();
  ctx.stroke();
}

function fillPath(ctx: Ctx, colour: string, svgPath: string): void {
  ctx.fillStyle = colour;
  ctx.fill(new Path2D(svgPath));
}

function baht(ctx: Ctx, colour: string, x: number, y: number, size: number): void {
  ctx.fillStyle = colour;
  ctx.font = font(size);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText('฿', x, y);
}

const ICON_PAINTERS: Record<RichMenuIcon, IconPainter> = {
  // Two chain links: joining the LINE account to the fund's record.
  link(ctx, ink) {
    ctx.save();
    ctx.translate(50, 50);
    ctx.rotate(-Math.PI / 4);
    for (const x of [-19, 19]) stroke(ctx, ink, 11, () => ctx.roundRect(x - 29, -17, 58, 34, 17));
    ctx.restore();
  },
  // A heart: help offered (the LIFF app uses the same sign for measures).
  heart(ctx, ink) {
    fillPath(ctx, ink, 'M50 90 C22 70 6 54 6 34 C6 18 18 8 31 8 C40 8 46 13 50 20 C54 13 60 8 69 8 C82 8 94 18 94 34 C94 54 78 70 50 90 Z');
  },
  // A banknote with the baht sign.
  banknote(ctx, ink) {
    stroke(ctx, ink, 8, () => ctx.roundRect(4, 22, 92, 56, 8));
    stroke(ctx, ink, 7, () => ctx.arc(50, 50, 17, 0, Math.PI * 2));
    baht(ctx, ink, 50, 51, 30);
    ctx.fillStyle = ink;
    for (const x of [20, 80]) {
      ctx.beginPath();
      ctx.arc(x, 50, 5, 0, Math.PI * 2);
      ctx.fill();
    }
  },
  // A telephone handset.
  phone(ctx, ink) {
    fillPath(
      ctx,
      ink,
      'M27 6 C31 5 34 7 36 10 L45 26 C47 30 46 34 43 37 L36 43 C41 55 47 61 58 66 L64 59 C67 56 71 55 75 57 L90 66 C94 68 95 72 94 76 L91 86 C89 92 84 95 78 94 C40 88 12 60 6 22 C5 16 8 11 14 9 Z',
    );
  },
  // A bill: paper with a torn edge, two lines and the baht sign.
  receipt(ctx, ink) {
    stroke(ctx, ink, 8, () => {
      ctx.moveTo(20, 6);
      ctx.lineTo(80, 6);
      ctx.lineTo(80, 92);
      for (let x = 80, up = true; x > 20; x -= 10, up = !up) ctx.lineTo(x - 10, up ? 84 : 92);
      ctx.closePath();
    });
    stroke(ctx, ink, 7, () => {
      ctx.moveTo(33, 24);
      ctx.lineTo(67, 24);
      ctx.moveTo(33, 38);
      ctx.lineTo(58, 38);
    });
    baht(ctx, ink, 50, 63, 40);
  },
  // A calendar page with the next date marked.
  calendar(ctx, ink, paper) {
    ctx.fillStyle = ink;
    ctx.beginPath();
    ctx.roundRect(6, 14, 88, 80, 10);
    ctx.fill();
    ctx.fillStyle = paper;
    ctx.fillRect(14, 36, 72, 50);
    stroke(ctx, ink, 9, () => {
      ctx.moveTo(30, 6);
      ctx.lineTo(30, 22);
      ctx.moveTo(70, 6);
      ctx.lineTo(70, 22);
    });
    ctx.fillStyle = ink;
    for (const [x, y] of [[21, 43], [40, 43], [59, 43], [21, 62], [40, 62]] as const) ctx.fillRect(x, y, 12, 12);
    ctx.beginPath();
    ctx.roundRect(57, 60, 22, 20, 4);
    ctx.fill();
  },
  // A form: a page with tick boxes and lines.
  form(ctx, ink) {
    stroke(ctx, ink, 8, () => {
      ctx.moveTo(66, 6);
      ctx.lineTo(18, 6);
      ctx.lineTo(18, 94);
      ctx.lineTo(82, 94);
      ctx.lineTo(82, 22);
      ctx.closePath();
    });
    stroke(ctx, ink, 7, () => {
      for (const y of [36, 56, 76]) {
        ctx.moveTo(31, y);
        ctx.lineTo(37, y);
        ctx.moveTo(47, y);
        ctx.lineTo(70, y);
      }
    });
  },
  // A bar chart on a baseline.
  chart(ctx, ink) {
    ctx.fillStyle = ink;
    for (const [x, top] of [[14, 52], [38, 28], [62, 8]] as const) {
      ctx.beginPath();
      ctx.roundRect(x, top, 18, 82 - top, 4);
      ctx.fill();
    }
    stroke(ctx, ink, 8, () => {
      ctx.moveTo(6, 92);
      ctx.lineTo(94, 92);
    });
  },
  // A magnifying glass.
  search(ctx, ink) {
    stroke(ctx, ink, 11, () => ctx.arc(40, 40, 28, 0, Math.PI * 2));
    stroke(ctx, ink, 16, () => {
      ctx.moveTo(62, 62);
      ctx.lineTo(88, 88);
    });
  },
  // An hourglass: waiting for a decision.
  hourglass(ctx, ink) {
    stroke(ctx, ink, 9, () => {
      ctx.moveTo(18, 6);
      ctx.lineTo(82, 6);
      ctx.moveTo(18, 94);
      ctx.lineTo(82, 94);
    });
    stroke(ctx, ink, 7, () => {
      ctx.moveTo(26, 6);
      ctx.bezierCurveTo(26, 34, 44, 42, 44, 50);
      ctx.bezierCurveTo(44, 58, 26, 66, 26, 94);
      ctx.moveTo(74, 6);
      ctx.bezierCurveTo(74, 34, 56, 42, 56, 50);
      ctx.bezierCurveTo(56, 58, 74, 66, 74, 94);
    });
    fillPath(ctx, ink, 'M34 22 L66 22 C64 32 54 38 50 42 C46 38 36 32 34 22 Z M50 60 C56 66 68 76 70 90 L30 90 C32 76 44 66 50 60 Z');
  },
  // A clipboard with ticks: the officer's to-do list.
  checklist(ctx, ink) {
    stroke(ctx, ink, 8, () => ctx.roundRect(14, 12, 72, 82, 8));
    ctx.fillStyle = ink;
    ctx.beginPath();
    ctx.roundRect(34, 4, 32, 16, 5);
    ctx.fill();
    stroke(ctx, ink, 7, () => {
      for (const y of [40, 66]) {
        ctx.moveTo(26, y);
        ctx.lineTo(32, y + 6);
        ctx.lineTo(42, y - 6);
        ctx.moveTo(52, y);
        ctx.lineTo(74, y);
      }
    });
  },
};

function drawIcon(ctx: Ctx, icon: RichMenuIcon, centreX: number, centreY: number, size: number, ink: string, paper: string): void {
  ctx.save();
  ctx.translate(centreX - size / 2, centreY - size / 2);
  ctx.scale(size / 100, size / 100);
  ICON_PAINTERS[icon](ctx, ink, paper);
  ctx.restore();
}
