// The model-centre selection's files: the province's ranking as XLSX (Thai headers, one row per submitted centre,
// the district's total and area subtotals beside the province's verification score) and one A4 page per centre.
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { loadPdfKit } from './heavy-libraries.ts';
import type { CentreRankingReport, CentreSheet } from '../services/centre-selection.service.ts';
import { CENTRE_THAI } from '../content/centre-selection.th.ts';
import { registerSarabun } from './thai-fonts.ts';
import { writeXlsxReport, type XlsxColumn } from './xlsx-report.ts';

export async function writeCentreRankingXlsx(report: CentreRankingReport, output: Writable): Promise<void> {
  const c = CENTRE_THAI.columns;
  const columns: XlsxColumn[] = [
    { header: c.rank, key: 'rank', type: 'count', width: 8 },
    { header: c.centre, key: 'centre', type: 'text', width: 36 },
    { header: c.tambon, key: 'tambon', type: 'text', width: 30 },
    { header: c.district, key: 'district', type: 'text', width: 16 },
    { header: c.total, key: 'total', type: 'count', width: 14 },
    ...report.areaHeadings.map((a): XlsxColumn => ({ header: c.area(a.code, a.maxPoints), key: `area${a.code}`, type: 'count', width: 12 })),
    { header: c.verification, key: 'verification', type: 'count', width: 16 },
    { header: c.version, key: 'version', type: 'count', width: 8 },
    { header: c.withoutEvidence, key: 'withoutEvidence', type: 'text', width: 22 },
    { header: c.note, key: 'note', type: 'text', width: 50 },
  ];
  const rows = report.rows.map((row) => ({
    rank: row.rank,
    centre: row.centre,
    tambon: row.area,
    district: row.district,
    total: row.total,
    ...Object.fromEntries(row.areas.map((a) => [`area${a.code}`, a.points])),
    verification: row.verification?.points ?? null,
    version: row.version,
    withoutEvidence: row.withoutEvidence.join(', '),
    note: [row.tieNote, row.verification?.note].filter(Boolean).join(' · '),
  }));
  await writeXlsxReport({ sheets: [{ name: CENTRE_THAI.xlsxSheet, title: `${report.title} · ${report.tieRule}`, columns, rows }], output });
}

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 36;
const INK = '#1F2937';
const SOFT = '#6B7280';
const FLAG = '#B45309';

/** One A4 page: the centre, its rank, totals by area, each indicator's level and evidence, and the verification score. */
export async function renderCentreSheet(sheet: CentreSheet, output: Writable): Promise<void> {
  const PDFDocument = await loadPdfKit();
  const doc = new PDFDocument({ size: 'A4', margins: { top: MARGIN, bottom: 0, left: MARGIN, right: MARGIN }, compress: true, info: { Title: `${sheet.title} ${sheet.centre.name}`, Author: 'กองทุนพัฒนาบทบาทสตรี' } });
  const written = pipeline(doc, output);
  try {
    registerSarabun(doc);
    const width = PAGE.width - 2 * MARGIN;
    const p = CENTRE_THAI.pdf;
    doc.fillColor(INK).font('bold').fontSize(14).text(sheet.title, MARGIN, MARGIN, { width });
    doc.font('regular').fontSize(8.5).fillColor(SOFT).text(sheet.rubricTitle, { width });
    doc.moveDown(0.4);
    doc.font('bold').fontSize(16).fillColor(INK).text(sheet.centre.name, { width });
    doc.font('regular').fontSize(10).text([sheet.centre.village, sheet.centre.area].filter(Boolean).join(' '), { width });
    if (sheet.centre.contact) doc.text(`${p.contact}: ${sheet.centre.contact}`, { width });
    if (sheet.centre.memberGroups.length > 0) doc.text(`${p.members}: ${sheet.centre.memberGroups.join(', ')}`, { width });
    doc.moveDown(0.4);

    const top = doc.y;
    doc.font('bold').fontSize(22).text(`อันดับ ${sheet.rank}`, MARGIN, top, { width: 150 });
    doc.font('regular').fontSize(9).fillColor(SOFT).text(`จาก ${sheet.of} ศูนย์ที่ส่ง`, MARGIN, top + 28, { width: 150 });
    doc.fillColor(INK).font('bold').fontSize(12).text(`${p.district}: ${sheet.total} / ${sheet.maxTotal}`, MARGIN + 160, top, { width: width - 160 });
    doc.font('regular').fontSize(12).text(`${p.verification}: ${sheet.verification ? `${sheet.verification.points} / ${sheet.maxTotal}` : p.noVerification}`, MARGIN + 160, top + 17, { width: width - 160 });
    doc.font('regular').fontSize(9).fillColor(SOFT).text(sheet.submitted + (sheet.reason ? ` · แก้ไขเพราะ ${sheet.reason}` : ''), MARGIN + 160, top + 35, { width: width - 160 });
    doc.y = top + 52;
    if (sheet.tieNote) doc.fillColor(FLAG).fontSize(9).text(sheet.tieNote, MARGIN, doc.y, { width });
    doc.fillColor(INK).fontSize(9).text(`${p.video}: ${sheet.videoUrl ?? p.noVideo}`, MARGIN, doc.y, { width });
    doc.moveDown(0.3);

    for (const area of sheet.areas) {
      doc.font('bold').fontSize(10).fillColor(INK).text(`${area.heading}: ${area.points} / ${area.maxPoints}`, MARGIN, doc.y, { width });
    }
    doc.moveDown(0.3);
    // 20 rows: heading, level, points, evidence; sized so the whole rubric fits on the page.
    const rowHeight = Math.min(20, (PAGE.height - 40 - doc.y) / Math.max(1, sheet.indicators.length + 1));
    const cols = { heading: MARGIN, level: MARGIN + width * 0.6, points: MARGIN + width * 0.68, evidence: MARGIN + width * 0.78 };
    let y = doc.y;
    doc.font('bold').fontSize(8.5).fillColor(SOFT);
    doc.text('ตัวชี้วัด', cols.heading, y, { lineBreak: false });
    doc.text('ระดับ', cols.level, y, { lineBreak: false });
    doc.text('คะแนน', cols.points, y, { lineBreak: false });
    doc.text('หลักฐาน', cols.evidence, y, { lineBreak: false });
    y += rowHeight;
    for (const ind of sheet.indicators) {
      doc.font('regular').fontSize(8.5).fillColor(INK);
      doc.text(ind.heading, cols.heading, y, { width: width * 0.58, height: rowHeight, ellipsis: true, lineBreak: false });
      doc.text(ind.level === null ? '–' : String(ind.level), cols.level, y, { lineBreak: false });
      doc.text(`${ind.points}/${ind.maxPoints}`, cols.points, y, { lineBreak: false });
      doc.fillColor(ind.flagged ? FLAG : SOFT).text(ind.evidence, cols.evidence, y, { width: width * 0.22, lineBreak: false });
      doc.save().lineWidth(0.3).strokeColor('#E5E7EB').moveTo(MARGIN, y + rowHeight - 4).lineTo(PAGE.width - MARGIN, y + rowHeight - 4).stroke().restore();
      y += rowHeight;
    }
  } catch (error) {
    doc.destroy(error as Error);
    await written.catch(() => {});
    throw error;
  }
  doc.end();
  await written;
}
