// The rendering libraries load on first use, not with the process: together they are about 70 MB of a process's
// memory (@napi-rs/canvas 34, exceljs 19, pdfkit 17), which a CLI import, a job run or a quiet server never
// needs. Each loads once; later calls get the same module.
import type * as Canvas from '@napi-rs/canvas';
import type ExcelJSModule from 'exceljs';
import type PDFDocumentClass from 'pdfkit';
import type QRCodeModule from 'qrcode';

let canvas: Promise<typeof Canvas> | undefined;
let excelJs: Promise<typeof ExcelJSModule> | undefined;
let pdfKit: Promise<typeof PDFDocumentClass> | undefined;
let qrCode: Promise<typeof QRCodeModule> | undefined;

export const loadCanvas = (): Promise<typeof Canvas> => (canvas ??= import('@napi-rs/canvas'));
export const loadExcelJs = (): Promise<typeof ExcelJSModule> => (excelJs ??= import('exceljs').then((m) => m.default));
export const loadPdfKit = (): Promise<typeof PDFDocumentClass> => (pdfKit ??= import('pdfkit').then((m) => m.default));
export const loadQrCode = (): Promise<typeof QRCodeModule> => (qrCode ??= import('qrcode').then((m) => m.default));
