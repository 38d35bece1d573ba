// A4 sheets of one-time LINE link-code slips that officers cut apart and hand out at the monthly forum.
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { loadPdfKit, loadQrCode } from './heavy-libraries.ts';
import { formatLinkCode } from '../domain/link-code.ts';
import { formatThaiDate, formatThaiDateTime, isValidLocalDate, type LocalDate } from '../domain/local-date.ts';
import { registerSarabun } from './thai-fonts.ts';

export interface LinkCodeSlip {
  fullName: string;
  /** Already masked by the caller, e.g. "ตร-xxx-0123": the slip may be lost on the way home. */
  contractNoMasked: string;
  /** Eight digits, as issued ("12345678"); printed as "1234 5678". */
  code: string;
  /**
   * The last day the code still works the whole day (Bangkok). A code that expires at 08:30 on the
   * 30th should be printed as the 29th, or a borrower trying in the afternoon of the 30th is refused.
   */
  expiresOn: LocalDate;
}

export interface LinkCodeSlipSheet {
  /** Printed at the top of every page, e.g. "รหัสผูกบัญชี LINE สำหรับลูกหนี้". */
  title: string;
  /** e.g. "ตำบลห้วงน้ำขาว อำเภอเมืองตราด จังหวัดตราด". */
  areaName: string;
  issuedAt: Date;
  /** The fund's LINE add-friend link, e.g. "https://line.me/R/ti/p/@xxxx"; the same QR goes on every slip. */
  addFriendUrl: string;
  slips: readonly LinkCodeSlip[];
}

/**
 * One slip per row across the page, five rows: every slip is cut off with one straight cut, and the
 * full width leaves room for 40 pt digits, a 100 pt QR code and 13 pt instructions.
 */
export const SLIPS_PER_PAGE = 5;

const PAGE = { width: 595.28, height: 841.89 }; // A4 in points
const MARGIN_X = 22;
const GRID_TOP = 54;
const GRID_BOTTOM = PAGE.height - 38;
const SLIP_WIDTH = PAGE.width - 2 * MARGIN_X;
const SLIP_HEIGHT = (GRID_BOTTOM - GRID_TOP) / SLIPS_PER_PAGE;
const PADDING = 12;
const QR_SIZE = 100;
const CODE_COLUMN = 206;
const GAP = 14;

const INK = '#000000';
const SOFT_INK = '#333333';
const CUT_LINE = '#666666';

const INSTRUCTIONS = [
  '1. สแกน QR ทางขวา เพื่อเพิ่มเพื่อน',
  '2. พิมพ์รหัส 8 หลักนี้ ส่งในแชต',
  '3. รอข้อความ "ผูกบัญชีเรียบร้อยแล้ว"',
  'ดูยอดที่ต้องชำระ: พิมพ์ "ยอดหนี้"',
];
const WARNING = 'รหัสใช้ได้ครั้งเดียว ห้ามให้ผู้อื่น · สงสัยถามเจ้าหน้าที่';

/** Pages a sheet of `slipCount` slips takes; an empty sheet is one page that says so. */
export function linkCodeSlipPageCount(slipCount: number): number {
  return Math.max(1, Math.ceil(slipCount / SLIPS_PER_PAGE));
}

/**
 * Streams the PDF into `output`, ends it, and resolves when it has all been written. Pages are flushed one
 * at a time, so 300+ slips never sit in memory as a whole document. On failure `output` is destroyed
 * with the error (a cut-off PDF is worse than a failed download).
 */
export async function renderLinkCodeSlips(sheet: LinkCodeSlipSheet, output: Writable): Promise<void> {
  const [PDFDocument, QRCode] = await Promise.all([loadPdfKit(), loadQrCode()]);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 0, bottom: 0, left: 0, right: 0 }, // we place everything ourselves; no automatic page breaks
    autoFirstPage: false,
    compress: true,
    info: { Title: sheet.title, Subject: sheet.areaName, Author: 'กองทุนพัฒนาบทบาทสตรี', CreationDate: sheet.issuedAt },
  });
  const written = pipeline(doc, output);
  try {
    sheet.slips.forEach(checkSlip);
    const qrPng = await QRCode.toBuffer(sheet.addFriendUrl, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 8 });
    registerSarabun(doc);
    // Opened once: pdfkit embeds an image object per Buffer passed to image(), but reuses an opened one.
    const qr = (doc as unknown as { openImage(src: Buffer): object }).openImage(qrPng) as unknown as Buffer;

    const pageCount = linkCodeSlipPageCount(sheet.slips.length);
    for (let page = 0; page < pageCount; page++) {
      doc.addPage({ size: 'A4', margins: { top: 0, bottom: 0, left: 0, right: 0 } });
      drawPageFrame(doc, sheet, page + 1, pageCount);
      const onPage = sheet.slips.slice(page * SLIPS_PER_PAGE, (page + 1) * SLIPS_PER_PAGE);
      if (onPage.length === 0) drawEmptyNotice(doc);
      drawCutLines(doc, onPage.length);
      onPage.forEach((slip, row) => drawSlip(doc, slip, qr, MARGIN_X, GRID_TOP + row * SLIP_HEIGHT));
      // Let the finished page flow out to `output` before drawing the next one.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } catch (error) {
    doc.destroy(error as Error); // pipeline() then destroys `output` with it
    await written.catch(() => {});
    throw error;
  }
  doc.end();
  await written;
}

function checkSlip(slip: LinkCodeSlip, index: number): void {
  if (!/^\d{8}$/.test(slip.code)) throw new RangeError(`slip ${index + 1}: a link code is 8 digits, got "${slip.code}"`);
  if (!isValidLocalDate(slip.expiresOn)) throw new RangeError(`slip ${index + 1}: expiresOn is not a YYYY-MM-DD date: "${slip.expiresOn}"`);
}

type Doc = PDFKit.PDFDocument;

function drawPageFrame(doc: Doc, sheet: LinkCodeSlipSheet, pageNo: number, pageCount: number): void {
  const issued = `${sheet.areaName} · ออกเมื่อ ${formatThaiDateTime(sheet.issuedAt)}`;
  doc.fillColor(INK);
  const titleWidth = PAGE.width - 2 * MARGIN_X;
  drawFitted(doc, sheet.title, 'bold', 15, 11, MARGIN_X, 14, titleWidth);
  drawFitted(doc, issued, 'regular', 11, 8, MARGIN_X, 33, titleWidth);

  const footerY = PAGE.height - 30;
  doc.font('regular').fontSize(9).fillColor(SOFT_INK);
  doc.text('ตัดตามเส้นประ · ใบละหนึ่งคน', MARGIN_X, footerY, { lineBreak: false });
  const pageLabel = `หน้า ${pageNo} / ${pageCount}`;
  doc.font('regular').fontSize(10).fillColor(INK);
  doc.text(pageLabel, PAGE.width - MARGIN_X - doc.widthOfString(pageLabel), footerY, { lineBreak: false });
}

function drawEmptyNotice(doc: Doc): void {
  doc.font('regular').fontSize(14).fillColor(SOFT_INK);
  doc.text('ไม่มีผู้กู้ที่ต้องออกรหัสผูกบัญชีในพื้นที่นี้', MARGIN_X, GRID_TOP + 40, {
    width: SLIP_WIDTH,
    align: 'center',
    lineBreak: false,
  });
}

/** Dashed lines above, between and below the slips, from paper edge to paper edge. */
function drawCutLines(doc: Doc, slipCount: number): void {
  if (slipCount === 0) return;
  doc.save().lineWidth(0.7).strokeColor(CUT_LINE).dash(5, { space: 4 });
  for (let row = 0; row <= slipCount; row++) {
    const y = GRID_TOP + row * SLIP_HEIGHT;
    doc.moveTo(8, y).lineTo(PAGE.width - 8, y).stroke();
  }
  doc.undash().restore();
}

function drawSlip(doc: Doc, slip: LinkCodeSlip, qr: Buffer, left: number, top: number): void {
  const x = left + PADDING;
  const y = top + PADDING;
  const innerWidth = SLIP_WIDTH - 2 * PADDING;
  const textWidth = innerWidth - QR_SIZE - GAP;

  // Row 1: who it is for, and which contract, so the officer hands the right slip to the right person.
  const contract = `สัญญา ${slip.contractNoMasked}`;
  doc.font('regular').fontSize(12);
  const contractWidth = Math.min(doc.widthOfString(contract), textWidth / 2);
  drawFitted(doc, slip.fullName, 'bold', 18, 12, x, y - 2, textWidth - contractWidth - GAP);
  drawFitted(doc, contract, 'regular', 12, 9, x + textWidth - contractWidth, y + 3, contractWidth);

  // Left block: the code, as large as fits, with its last day.
  const blockTop = y + 28;
  doc.font('regular').fontSize(11).fillColor(SOFT_INK);
  doc.text('รหัสผูกบัญชี 8 หลัก', x, blockTop, { lineBreak: false });
  drawFitted(doc, formatLinkCode(slip.code), 'bold', 40, 28, x - 1, blockTop + 9, CODE_COLUMN);
  doc.font('bold').fontSize(13).fillColor(INK);
  doc.text(`ใช้ได้ถึง ${formatThaiDate(slip.expiresOn)}`, x, blockTop + 62, { lineBreak: false });

  // Middle block: three steps in plain words.
  const stepsX = x + CODE_COLUMN + GAP;
  const stepsWidth = textWidth - CODE_COLUMN - GAP;
  INSTRUCTIONS.forEach((line, index) => drawFitted(doc, line, 'regular', 13, 10, stepsX, blockTop - 1 + index * 18, stepsWidth));
  drawFitted(doc, WARNING, 'regular', 10, 8, x, blockTop + 85, textWidth, SOFT_INK);

  // Right block: the add-friend QR code, vertically centred in the slip.
  const qrX = left + SLIP_WIDTH - PADDING - QR_SIZE;
  const qrY = top + (SLIP_HEIGHT - QR_SIZE - 12) / 2;
  doc.image(qr, qrX, qrY, { width: QR_SIZE, height: QR_SIZE });
  doc.font('regular').fontSize(9).fillColor(SOFT_INK);
  doc.text('สแกนเพื่อเพิ่มเพื่อน LINE', qrX - 10, qrY + QR_SIZE + 1, { width: QR_SIZE + 20, align: 'center', lineBreak: false });
  doc.fillColor(INK);
}

/** Sarabun's ascender, 1068/1000 em: the distance from a line's top to its baseline. */
const SARABUN_ASCENT = 1.068;
const graphemes = new Intl.Segmenter('th', { granularity: 'grapheme' });

/** Writes one line, shrinking the font down to `minSize` to fit `width`, then cutting whole graphemes with "…". */
function drawFitted(
  doc: Doc,
  text: string,
  font: 'regular' | 'bold',
  size: number,
  minSize: number,
  x: number,
  y: number,
  width: number,
  color = INK,
): void {
  doc.font(font).fontSize(size);
  let fontSize = size;
  while (fontSize > minSize && doc.widthOfString(text) > width) {
    fontSize = Math.max(minSize, fontSize - 0.5);
    doc.fontSize(fontSize);
  }
  let shown = text;
  if (doc.widthOfString(shown) > width) {
    const parts = Array.from(graphemes.segment(text), (s) => s.segment);
    while (parts.length > 1 && doc.widthOfString(`${parts.join('')}…`) > width) parts.pop();
    shown = `${parts.join('').trimEnd()}…`;
  }
  // pdfkit places a line by its top; keep a shrunk line on the baseline it would have had at full size.
  doc.fillColor(color).text(shown, x, y + (size - fontSize) * SARABUN_ASCENT, { lineBreak: false });
}
