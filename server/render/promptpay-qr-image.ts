// The payment QR a borrower saves from LINE and opens in a banking app: a Thai QR Payment-style card with
// the QR drawn module by module (crisp at any size) and large Thai text saying who, what and how much.
import type { SKRSContext2D } from '@napi-rs/canvas';
import { loadCanvas, loadQrCode } from './heavy-libraries.ts';
import { registerThaiFonts, THAI_FONT_FAMILY } from './thai-fonts.ts';

export interface PaymentQrImage {
  /** The EMV payload, e.g. from buildBillPaymentPayload. */
  payload: string;
  /** Who the money goes to, the first line under the banner. */
  title: string;
  /** Smaller lines under the title: the borrower, the contract, the installment. */
  lines: readonly string[];
  /** Shown largest, e.g. "฿1,234.50"; omit for a QR without an amount. */
  amount?: string;
  /** Under the QR. */
  footer?: string;
}

export const PAYMENT_QR_WIDTH = 720;
/** LINE shows images up to 1024 px without scaling them down first. */
export const PAYMENT_QR_MAX_HEIGHT = 1024;
const MARGIN = 40;
const TEXT_WIDTH = PAYMENT_QR_WIDTH - 2 * MARGIN;
const QR_SIZE = 500;
const NAVY = '#113566';
const INK = '#1a1a1a';
const MUTED = '#4a4a4a';

interface TextBlock {
  text: string;
  size: number;
  weight: 400 | 700;
  color: string;
  /** Longest it may wrap to before the font shrinks further. */
  maxLines: number;
}

const segmenter = new Intl.Segmenter('th', { granularity: 'word' });

function font(size: number, weight: number): string {
  return `${weight} ${size}px ${THAI_FONT_FAMILY}`;
}

/**
 * Breaks text so each line fits `width`: at the last space when there is one (Thai puts spaces between
 * phrases, and a name or a date should stay whole), else at a Thai word boundary.
 */
function wrap(ctx: SKRSContext2D, text: string, width: number): string[] {
  const fits = (line: string) => ctx.measureText(line.trim()).width <= width;
  const lines: string[] = [];
  let current = '';
  for (const { segment } of segmenter.segment(text.trim())) {
    const next = current + segment;
    if (!current || fits(next)) {
      current = next;
      continue;
    }
    const space = current.lastIndexOf(' ');
    if (space > 0 && fits(current.slice(space + 1) + segment)) {
      lines.push(current.slice(0, space).trim());
      current = current.slice(space + 1) + segment;
    } else {
      lines.push(current.trim());
      current = segment.trimStart();
    }
  }
  if (current.trim()) lines.push(current.trim());
  return lines;
}

/**
 * One line if the block fits at no less than 80 % of its size; otherwise wrapped into at most maxLines
 * lines, shrinking further if it must (never below 60 %).
 */
function layout(ctx: SKRSContext2D, block: TextBlock): { lines: string[]; size: number } {
  const floor = (share: number) => Math.round(block.size * share);
  for (let size = block.size; size >= floor(0.8); size -= 2) {
    ctx.font = font(size, block.weight);
    if (ctx.measureText(block.text.trim()).width <= TEXT_WIDTH) return { lines: [block.text.trim()], size };
  }
  for (let size = block.size; ; size -= 2) {
    ctx.font = font(size, block.weight);
    const lines = wrap(ctx, block.text, TEXT_WIDTH);
    if (lines.length <= block.maxLines || size <= floor(0.6)) return { lines, size };
  }
}

const lineHeight = (size: number) => Math.round(size * 1.45);

/** Draws the card to a PNG: 720 px wide, at most 1,024 px tall (unless the text alone is taller), under 150 kB. */
export async function renderPaymentQrPng({ payload, title, lines, amount, footer = 'สแกนจ่ายผ่านแอปธนาคาร' }: PaymentQrImage): Promise<Buffer> {
  const [{ createCanvas }, QRCode] = await Promise.all([loadCanvas(), loadQrCode(), registerThaiFonts()]);
  const qr = QRCode.create(payload, { errorCorrectionLevel: 'M' });
  const moduleCount = qr.modules.size;
  const quiet = 4;

  const above: TextBlock[] = [
    { text: title, size: 40, weight: 700, color: INK, maxLines: 2 },
    ...lines.map((text): TextBlock => ({ text, size: 32, weight: 400, color: MUTED, maxLines: 2 })),
    ...(amount ? [{ text: amount, size: 64, weight: 700, color: NAVY, maxLines: 1 } satisfies TextBlock] : []),
  ];
  const below: TextBlock = { text: footer, size: 36, weight: 700, color: INK, maxLines: 2 };

  const measure = createCanvas(1, 1).getContext('2d');
  const laidAbove = above.map((block) => ({ block, ...layout(measure, block) }));
  const laidBelow = { block: below, ...layout(measure, below) };
  const blockHeight = (laid: { lines: string[]; size: number }) => laid.lines.length * lineHeight(laid.size);

  const bannerHeight = 96;
  const withoutQr = bannerHeight + 28 + laidAbove.reduce((sum, laid) => sum + blockHeight(laid), 0) + blockHeight(laidBelow) + 36;
  // Long text takes room from the QR, not from the height limit; a 4 px module still scans from a screen.
  const modulePx = Math.max(4, Math.floor(Math.min(QR_SIZE, PAYMENT_QR_MAX_HEIGHT - withoutQr) / (moduleCount + 2 * quiet)));
  const qrPx = modulePx * (moduleCount + 2 * quiet);
  const height = withoutQr + qrPx;
  const canvas = createCanvas(PAYMENT_QR_WIDTH, height);
  const ctx = canvas.getContext('2d');

  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, PAYMENT_QR_WIDTH, height);

  // Banner in the Thai QR Payment navy; the official logos are trademarks, so words stand in for them.
  ctx.fillStyle = NAVY;
  ctx.fillRect(0, 0, PAYMENT_QR_WIDTH, bannerHeight);
  ctx.fillStyle = '#ffffff';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.font = font(40, 700);
  ctx.fillText('THAI QR PAYMENT', PAYMENT_QR_WIDTH / 2, bannerHeight / 2 - 12);
  ctx.font = font(24, 400);
  ctx.fillText('พร้อมเพย์ · ชำระบิล', PAYMENT_QR_WIDTH / 2, bannerHeight / 2 + 24);

  let y = bannerHeight + 28;
  ctx.textBaseline = 'top';
  const drawBlock = (laid: { block: TextBlock; lines: string[]; size: number }) => {
    ctx.font = font(laid.size, laid.block.weight);
    ctx.fillStyle = laid.block.color;
    for (const line of laid.lines) {
      ctx.fillText(line, PAYMENT_QR_WIDTH / 2, y);
      y += lineHeight(laid.size);
    }
  };
  laidAbove.forEach(drawBlock);

  // The QR's own white quiet zone (4 modules) separates it from the text.
  const qrX = Math.round((PAYMENT_QR_WIDTH - qrPx) / 2);
  ctx.fillStyle = '#000000';
  for (let row = 0; row < moduleCount; row++) {
    for (let col = 0; col < moduleCount; col++) {
      if (qr.modules.get(row, col)) ctx.fillRect(qrX + (col + quiet) * modulePx, y + (row + quiet) * modulePx, modulePx, modulePx);
    }
  }
  y += qrPx;
  drawBlock(laidBelow);

  // A thin navy frame, as on printed Thai QR stands.
  ctx.strokeStyle = NAVY;
  ctx.lineWidth = 6;
  ctx.strokeRect(3, 3, PAYMENT_QR_WIDTH - 6, height - 6);

  return canvas.encode('png');
}
