// Streams report rows (ageing, collections, debtor lists…) into an XLSX download, one committed row at a time.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { loadExcelJs } from './heavy-libraries.ts';
import { BANGKOK_OFFSET_MS, isValidLocalDate } from '../domain/local-date.ts';

export type XlsxColumnType = 'text' | 'baht' | 'count' | 'percent' | 'date' | 'datetime';

export interface XlsxColumn {
  /** Thai, as the officer reads it. */
  header: string;
  key: string;
  /**
   * What the row holds → what the cell stores:
   * - text: string → text;
   * - baht: integer satang → a baht number shown "฿1,234.50";
   * - count: integer → "1,234";
   * - percent: a ratio (0.0525) → shown "5.25%";
   * - date: 'YYYY-MM-DD' → a real date shown in the Buddhist Era, "23 พ.ย. 2569";
   * - datetime: a Date (instant) → its Bangkok wall-clock time, "23 พ.ย. 2569 08:30".
   */
  type: XlsxColumnType;
  /** In characters; a default per type otherwise. */
  width?: number;
}

export type XlsxCellValue = string | number | bigint | Date | null | undefined;
export type XlsxRow = Readonly<Record<string, XlsxCellValue>>;

export interface XlsxSheet {
  /** The tab name; characters Excel forbids are replaced and it is cut to 31 characters. */
  name: string;
  /** A bold line above the header, e.g. "ลูกหนี้ผิดนัดชำระ จังหวัดตราด ณ 23 พ.ย. 2569". */
  title?: string;
  columns: readonly XlsxColumn[];
  rows: AsyncIterable<XlsxRow> | Iterable<XlsxRow>;
}

export interface XlsxReport {
  sheets: readonly XlsxSheet[];
  /** Receives the file and is ended when it is complete; destroyed with the error if a row source fails. */
  output: Writable;
}

/**
 * Dates are real Excel dates (sortable, filterable, usable in formulas) with a number format that asks
 * for the Thai Buddhist calendar: [$-107041E] = digits 01 (Western 0–9), calendar 07 (Thai Buddhist),
 * locale 041E (Thai, so "พ.ย."). LibreOffice 7.4 shows "23 พ.ย. 2569" for it (checked by converting
 * to CSV); Excel documents the same LCID form. `[$-th-TH,107]` stayed a bare serial number in
 * LibreOffice and `bbbb` printed the letters, so neither is used.
 */
export const XLSX_FORMATS = {
  baht: '"฿"#,##0.00;-"฿"#,##0.00',
  count: '#,##0',
  percent: '0.00%',
  date: '[$-107041E]d mmm yyyy',
  datetime: '[$-107041E]d mmm yyyy hh:mm',
} as const;

const DEFAULT_WIDTH: Record<XlsxColumnType, number> = { text: 24, baht: 16, count: 10, percent: 10, date: 14, datetime: 19 };
const MS_PER_DAY = 86_400_000;
/** Excel's day 0 is 1899-12-30 (keeping Lotus's 1900 leap-year bug); 25569 is 1970-01-01. */
const EXCEL_UNIX_EPOCH_DAY = 25_569;
/** Rows between turns of the event loop: lets the zip deflate and the output drain while rows keep coming. */
const ROWS_PER_TURN = 500;

const HEADER_STYLE: Partial<ExcelJS.Style> = {
  font: { bold: true },
  fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF4' } },
  alignment: { vertical: 'middle', horizontal: 'center', wrapText: true },
  border: { bottom: { style: 'thin', color: { argb: 'FF7F8C99' } } },
};

/** Writes the workbook to `output`; resolves with each sheet's data-row count once the file is complete. */
export async function writeXlsxReport(report: XlsxReport): Promise<{ sheets: { name: string; rows: number }[] }> {
  const { stream } = await loadExcelJs();
  const workbook = new stream.xlsx.WorkbookWriter({
    stream: report.output,
    useStyles: true,
    // Inline strings: a shared-string table would keep every distinct name in memory until the end.
    useSharedStrings: false,
  });
  workbook.creator = 'กองทุนพัฒนาบทบาทสตรี';
  const written: { name: string; rows: number }[] = [];
  const filterNames: FilterDatabaseName[] = [];
  addDefinedNames(workbook, filterNames);
  try {
    for (const [index, sheet] of report.sheets.entries()) {
      const name = sheetName(sheet.name);
      if (written.some((other) => other.name.toLowerCase() === name.toLowerCase())) throw new RangeError(`two sheets are named "${name}"`);
      const { rows, filterRange } = await writeSheet(workbook, name, sheet, report.output);
      written.push({ name, rows });
      filterNames.push({ name: '_xlnm._FilterDatabase', ranges: [`'${name}'!${filterRange}`], localSheetId: index });
    }
    await workbook.commit();
  } catch (error) {
    report.output.destroy(error as Error);
    throw error;
  }
  return { sheets: written };
}

/** Uncompressed sheet XML allowed to wait for the zip's deflate before rows stop being produced. */
const MAX_ZIP_BACKLOG_BYTES = 4 * 1024 * 1024;

interface ZipEntryInput {
  _writableState?: { length: number; needDrain: boolean };
  once(event: 'drain', listener: () => void): unknown;
}

/**
 * exceljs writes committed rows into a buffer that it pipes into the zip entry (a readable-stream 2
 * PassThrough) without ever waiting for it; producing faster than deflate compresses piled the XML up
 * there (external memory grew ~17 MB per 100k rows). So: give the event loop a turn, then wait while that backlog is large
 * (it also stops filling when `output` itself is slow, since the zip respects the output's backpressure).
 */
async function keepPace(worksheet: ExcelJS.Worksheet, output: Writable): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  const entry = (worksheet as unknown as { stream?: { pipes?: ZipEntryInput[] } }).stream?.pipes?.[0];
  const state = entry?._writableState;
  if (entry && state?.needDrain && state.length > MAX_ZIP_BACKLOG_BYTES) await new Promise<void>((resolve) => entry.once('drain', resolve));
  if (output.writableNeedDrain) await once(output, 'drain');
}

interface FilterDatabaseName {
  name: '_xlnm._FilterDatabase';
  ranges: string[];
  localSheetId: number;
}

/**
 * LibreOffice shows an autofilter only when the workbook also names its range `_xlnm._FilterDatabase`
 * (as Excel itself writes); exceljs's streaming writer emits the sheet's <autoFilter> but not the name,
 * and its public definedNames cannot scope a name to one sheet. Its workbook part reads the names from
 * `_definedNames.model` when the workbook is committed, so the sheets' names are appended there.
 */
function addDefinedNames(workbook: ExcelJS.stream.xlsx.WorkbookWriter, extra: readonly FilterDatabaseName[]): void {
  const definedNames = (workbook as unknown as { _definedNames: { model: unknown[] } })._definedNames;
  const ownModel = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(definedNames), 'model');
  if (!ownModel?.get) throw new Error('exceljs changed: WorkbookWriter._definedNames has no model getter');
  Object.defineProperty(definedNames, 'model', {
    get: () => [...(ownModel.get!.call(definedNames) as unknown[]), ...extra],
    configurable: true,
  });
}

async function writeSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  sheet: XlsxSheet,
  output: Writable,
): Promise<{ rows: number; filterRange: string }> {
  const headerRow = sheet.title ? 2 : 1;
  const lastColumn = Math.max(1, sheet.columns.length);
  const worksheet = workbook.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: headerRow, topLeftCell: `A${headerRow + 1}`, activeCell: `A${headerRow + 1}` }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `${headerRow}:${headerRow}`,
    },
  });
  // Column styles carry the number formats: every data cell inherits its column's, and so does a cell typed in later.
  worksheet.columns = sheet.columns.map((column) => ({
    key: column.key,
    width: column.width ?? Math.max(DEFAULT_WIDTH[column.type], headerWidth(column.header)),
    style: column.type === 'text' ? {} : { numFmt: XLSX_FORMATS[column.type] },
  }));

  if (sheet.title) {
    const titleRow = worksheet.addRow([sheet.title]);
    titleRow.getCell(1).style = { font: { bold: true, size: 14 } };
    titleRow.commit();
  }
  const header = worksheet.addRow(sheet.columns.map((column) => column.header));
  header.eachCell((cell) => (cell.style = HEADER_STYLE));
  header.height = 30;
  header.commit();

  // One style object per column, set on every cell: exceljs caches a style's id by object identity, and the
  // fresh copy each new cell gets from its column would be looked up (serialised) again, cell by cell.
  const cellStyles = sheet.columns.map((_, index) => ({ ...worksheet.getColumn(index + 1).style }));
  let rows = 0;
  for await (const source of sheet.rows) {
    const values: (string | number | null)[] = [];
    for (const column of sheet.columns) values.push(cellValue(column, source[column.key], headerRow + rows + 1));
    const row = worksheet.addRow(values);
    for (let index = 0; index < cellStyles.length; index++) row.getCell(index + 1).style = cellStyles[index]!;
    row.commit();
    rows++;
    if (rows % ROWS_PER_TURN === 0) await keepPace(worksheet, output);
  }

  // Known only now, and written after the rows: the XLSX schema puts <autoFilter> after <sheetData>.
  const lastRow = headerRow + Math.max(rows, 1);
  worksheet.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: lastRow, column: lastColumn } };
  worksheet.commit();
  return { rows, filterRange: `$A$${headerRow}:$${columnLetter(lastColumn)}$${lastRow}` };
}

function cellValue(column: XlsxColumn, value: XlsxCellValue, excelRow: number): string | number | null {
  if (value === null || value === undefined || value === '') return null;
  switch (column.type) {
    case 'text':
      if (value instanceof Date) throw wrongValue(column, value, excelRow, 'text');
      return String(value);
    case 'baht': {
      const satang = typeof value === 'bigint' ? Number(value) : value;
      if (typeof satang !== 'number' || !Number.isSafeInteger(satang)) throw wrongValue(column, value, excelRow, 'integer satang');
      return satang / 100;
    }
    case 'count':
    case 'percent': {
      const number = typeof value === 'bigint' ? Number(value) : value;
      if (typeof number !== 'number' || !Number.isFinite(number)) throw wrongValue(column, value, excelRow, 'a number');
      return number;
    }
    case 'date':
      if (typeof value !== 'string' || !isValidLocalDate(value)) throw wrongValue(column, value, excelRow, "a 'YYYY-MM-DD' date");
      return Date.UTC(Number(value.slice(0, 4)), Number(value.slice(5, 7)) - 1, Number(value.slice(8, 10))) / MS_PER_DAY + EXCEL_UNIX_EPOCH_DAY;
    case 'datetime':
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw wrongValue(column, value, excelRow, 'a Date');
      // Excel has no time zones: store the wall-clock time an officer in Thailand would read.
      return (value.getTime() + BANGKOK_OFFSET_MS) / MS_PER_DAY + EXCEL_UNIX_EPOCH_DAY;
  }
}

function wrongValue(column: XlsxColumn, value: XlsxCellValue, excelRow: number, expected: string): TypeError {
  const got = value instanceof Date ? 'a Date' : JSON.stringify(String(value));
  return new TypeError(`row ${excelRow}, column "${column.key}" (${column.type}): expected ${expected}, got ${got}`);
}

/** 1 → A, 27 → AA. */
function columnLetter(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** Excel forbids []:*?/\ in a tab name; an apostrophe would need doubling in every reference, so it becomes ’. */
function sheetName(name: string): string {
  const cleaned = name.replace(/[[\]:*?/\\]/g, ' ').replaceAll("'", '’').trim();
  return (cleaned || 'Sheet').slice(0, 31);
}

const graphemes = new Intl.Segmenter('th', { granularity: 'grapheme' });

/** Width in characters for a header, counting Thai vowel and tone marks as part of their letter. */
function headerWidth(header: string): number {
  let count = 0;
  for (const _ of graphemes.segment(header)) count++;
  return Math.min(40, count + 4);
}
