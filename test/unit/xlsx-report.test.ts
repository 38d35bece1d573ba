import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../server/domain/local-date.ts';
import { writeXlsxReport, XLSX_FORMATS, type XlsxColumn, type XlsxRow, type XlsxSheet } from '../../server/render/xlsx-report.ts';
import { readZipEntry } from '../support/zip-entry.ts';

const COLUMNS: XlsxColumn[] = [
  { header: 'เลขที่สัญญา', key: 'contractNo', type: 'text' },
  { header: 'ชื่อ-สกุลผู้กู้', key: 'fullName', type: 'text', width: 30 },
  { header: 'ยอดค้างชำระ', key: 'overdue', type: 'baht' },
  { header: 'งวดที่ค้าง', key: 'installments', type: 'count' },
  { header: 'สัดส่วนค้างชำระ', key: 'ratio', type: 'percent' },
  { header: 'ครบกำหนด', key: 'dueOn', type: 'date' },
  { header: 'ชำระล่าสุด', key: 'paidAt', type: 'datetime' },
];

function debtor(i: number): XlsxRow {
  return {
    contractNo: `ตร-2569-${String(i).padStart(4, '0')}`,
    fullName: `นางผู้ใหญ่ลำดวน ชำนาญกิจ ${i}`,
    overdue: 123_450 + i, // satang
    installments: i % 5,
    ratio: (i % 100) / 400,
    dueOn: addDays('2026-11-01', i % 30),
    paidAt: new Date(Date.UTC(2026, 10, 23, 1, 30) + i * 60_000), // 08:30 Bangkok, a minute later per row
  };
}

async function* generate<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield item;
}

async function write(sheets: XlsxSheet[]): Promise<{ file: Buffer; result: Awaited<ReturnType<typeof writeXlsxReport>> }> {
  const chunks: Buffer[] = [];
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  const result = await writeXlsxReport({ sheets, output });
  return { file: Buffer.concat(chunks), result };
}

async function readBack(file: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(file as unknown as ArrayBuffer);
  return workbook;
}

const hasSoffice = (() => {
  try {
    execFileSync('soffice', ['--version'], { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
})();

describe('XLSX report', () => {
  it('writes 1,000 streamed rows that read back with Thai text, typed numbers, formats and real dates', async () => {
    const { file, result } = await write([
      { name: 'ลูกหนี้ผิดนัด', title: 'ลูกหนี้ผิดนัดชำระ ตำบลห้วงน้ำขาว', columns: COLUMNS, rows: generate(Array.from({ length: 1000 }, (_, i) => debtor(i))) },
    ]);
    expect(result.sheets).toEqual([{ name: 'ลูกหนี้ผิดนัด', rows: 1000 }]);

    const sheet = (await readBack(file)).getWorksheet('ลูกหนี้ผิดนัด')!;
    expect(sheet.rowCount).toBe(1002);
    expect(sheet.getCell('A1').value).toBe('ลูกหนี้ผิดนัดชำระ ตำบลห้วงน้ำขาว');
    expect(sheet.getCell('A1').font).toMatchObject({ bold: true });

    const header = sheet.getRow(2);
    expect(COLUMNS.map((_, c) => header.getCell(c + 1).value)).toEqual(COLUMNS.map((column) => column.header));
    expect(header.getCell(3).font).toMatchObject({ bold: true });
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(sheet.autoFilter).toBe('A2:G1002');
    expect(sheet.getColumn(2).width).toBe(30);

    const row = sheet.getRow(3 + 7); // debtor(7)
    expect(row.getCell(1).value).toBe('ตร-2569-0007');
    expect(row.getCell(2).value).toBe('นางผู้ใหญ่ลำดวน ชำนาญกิจ 7');
    expect(row.getCell(3).value).toBe(1234.57);
    expect(row.getCell(3).numFmt).toBe(XLSX_FORMATS.baht);
    expect(row.getCell(4).value).toBe(2);
    expect(row.getCell(4).numFmt).toBe('#,##0');
    expect(row.getCell(5).value).toBe(0.0175);
    expect(row.getCell(5).numFmt).toBe('0.00%');
    // Stored as Excel serial dates, so exceljs hands them back as Dates (midnight UTC = that calendar day).
    expect(row.getCell(6).value).toEqual(new Date('2026-11-08T00:00:00Z'));
    expect(row.getCell(6).numFmt).toBe('[$-107041E]d mmm yyyy');
    // Instants are stored as Bangkok wall-clock time: 01:37 UTC is 08:37 in Thailand.
    expect(row.getCell(7).value).toEqual(new Date('2026-11-23T08:37:00Z'));
    expect(row.getCell(7).numFmt).toBe('[$-107041E]d mmm yyyy hh:mm');

    const last = sheet.getRow(1002);
    expect(last.getCell(1).value).toBe('ตร-2569-0999');
    expect(last.getCell(3).value).toBe(1244.49);
  });

  it('leaves empty values as empty cells', async () => {
    const { file } = await write([
      { name: 'ว่าง', columns: COLUMNS, rows: [{ contractNo: 'ตร-1', fullName: null, overdue: undefined, installments: null, ratio: null, dueOn: '', paidAt: null }] },
    ]);
    const row = (await readBack(file)).getWorksheet('ว่าง')!.getRow(2);
    expect(row.getCell(1).value).toBe('ตร-1');
    for (let c = 2; c <= COLUMNS.length; c++) expect(row.getCell(c).value, `column ${c}`).toBeNull();
  });

  it('writes a sheet with no rows as a header the officer can still filter, next to a sheet with rows', async () => {
    const { file, result } = await write([
      { name: 'ไม่มีรายการ', title: 'ไม่มีลูกหนี้ค้างชำระ', columns: COLUMNS, rows: generate([]) },
      { name: 'มีรายการ', columns: COLUMNS, rows: [debtor(1)] },
    ]);
    expect(result.sheets).toEqual([{ name: 'ไม่มีรายการ', rows: 0 }, { name: 'มีรายการ', rows: 1 }]);
    const workbook = await readBack(file);
    const empty = workbook.getWorksheet('ไม่มีรายการ')!;
    expect(empty.rowCount).toBe(2);
    expect(empty.getRow(2).getCell(1).value).toBe('เลขที่สัญญา');
    expect(empty.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    const second = workbook.getWorksheet('มีรายการ')!;
    expect(second.getRow(1).getCell(1).value).toBe('เลขที่สัญญา');
    expect(second.getRow(2).getCell(2).value).toBe('นางผู้ใหญ่ลำดวน ชำนาญกิจ 1');
    expect(second.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    // LibreOffice shows a filter only for a range named _xlnm._FilterDatabase, one per sheet (exceljs reads
    // back only one name per name, so look at the workbook part itself).
    const names = readZipEntry(file, 'xl/workbook.xml').toString('utf8');
    expect(names).toContain(`<definedName name="_xlnm._FilterDatabase" localSheetId="0">&apos;ไม่มีรายการ&apos;!$A$2:$G$3</definedName>`);
    expect(names).toContain(`<definedName name="_xlnm._FilterDatabase" localSheetId="1">&apos;มีรายการ&apos;!$A$1:$G$2</definedName>`);
    expect(readZipEntry(file, 'xl/worksheets/sheet2.xml').toString('utf8')).toContain('<autoFilter ref="A1:G2"/>');
  });

  it('turns a tab name Excel would refuse into one it accepts', async () => {
    const { result } = await write([{ name: "ยอดค้าง: ต.ค./2569 [ทุกอำเภอ] ของ 'ตราด' รวมทั้งจังหวัด", columns: COLUMNS, rows: [] }]);
    expect(result.sheets[0]!.name).toBe('ยอดค้าง  ต.ค. 2569  ทุกอำเภอ  ข');
    expect(result.sheets[0]!.name.length).toBeLessThanOrEqual(31);
  });

  it('refuses a value of the wrong kind, naming the row and column, and destroys the output', async () => {
    const output = new Writable({ write: (_chunk, _encoding, done) => done() });
    output.on('error', () => {});
    await expect(
      writeXlsxReport({ sheets: [{ name: 'x', columns: COLUMNS, rows: [debtor(1), { ...debtor(2), overdue: 12.5 }] }], output }),
    ).rejects.toThrow('row 3, column "overdue" (baht): expected integer satang, got "12.5"');
    expect(output.destroyed).toBe(true);
    await expect(
      writeXlsxReport({ sheets: [{ name: 'x', columns: COLUMNS, rows: [{ ...debtor(1), dueOn: '2569-02-30' }] }], output: new Writable({ write: (_c, _e, d) => d() }).on('error', () => {}) }),
    ).rejects.toThrow(`column "dueOn" (date): expected a 'YYYY-MM-DD' date`);
  });

  it.skipIf(!hasSoffice)('shows Buddhist-Era dates, baht and percent in LibreOffice', async () => {
    const { file } = await write([{ name: 'ลูกหนี้', columns: COLUMNS, rows: [debtor(7)] }]);
    const dir = mkdtempSync(join(tmpdir(), 'xlsx-report-'));
    try {
      writeFileSync(join(dir, 'report.xlsx'), file);
      // CSV export with "save cell contents as shown": what a person sees in each cell.
      execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true', '--outdir', dir, join(dir, 'report.xlsx')], {
        stdio: 'ignore',
        timeout: 60_000,
      });
      const shown = readFileSync(join(dir, 'report.csv'), 'utf8').trim().split('\n');
      expect(shown[1]).toBe('ตร-2569-0007,นางผู้ใหญ่ลำดวน ชำนาญกิจ 7,"฿1,234.57",2,1.75%,8 พ.ย. 2569,23 พ.ย. 2569 08:37');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000); // a cold LibreOffice start takes seconds
});
