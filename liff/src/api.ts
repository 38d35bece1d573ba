// Calls to /api/liff/*, each with the LIFF ID token; errors come back as ApiError with the server's Thai text.
import type { ErrorResponse } from '../../server/contracts/liff.ts';
import type { DownloadTicketAnswer } from '../../server/contracts/officer.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: Array<{ path: string; message: string }> = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** No answer at all: the connection dropped, or no answer came in time. */
  get offline(): boolean {
    return this.status === 0;
  }
}

// Said on every page, forms and lists alike: it cannot tell a dropped signal from a server that is away, and claims
// nothing about typed data (a form that keeps it says so itself: FORM_KEPT).
export const OFFLINE_MESSAGE = 'เชื่อมต่อระบบไม่ได้ค่ะ ลองใหม่อีกครั้งเมื่อมีสัญญาณ';
export const TIMEOUT_MESSAGE = 'รอคำตอบนานเกินไปค่ะ ลองใหม่อีกครั้ง';
/** What a form that keeps its draft on the phone adds when sending failed for want of a connection. */
export const FORM_KEPT = 'ข้อมูลที่กรอกยังอยู่ในเครื่อง ปิดแอปก็ไม่หาย กดส่งอีกครั้งได้ ระบบไม่บันทึกซ้ำ';

/**
 * How long to wait for an answer before giving up: long enough for a slow rural connection, short enough that a
 * dead one ends in a message and a button that works again. A file gets time for its size at 20 kB/s.
 */
const ANSWER_TIMEOUT_MS = 30_000;
const UPLOAD_BYTES_PER_MS = 20;

/**
 * What to tell the person when a call failed: that the connection dropped, or the server's Thai message (with
 * `fieldFirst`, the first field's message when there is one), or the page's own words for anything else.
 */
export function apiErrorText(error: unknown, fallback: string, options: { fieldFirst?: boolean } = {}): string {
  if (!(error instanceof ApiError)) return fallback;
  if (error.offline) return error.message;
  return (options.fieldFirst ? error.errors[0]?.message : undefined) ?? error.message;
}

/** As apiErrorText, and an error the page raised itself (a file too big to attach, a download refused) says its own Thai words. */
export function errorText(error: unknown, fallback: string): string {
  return apiErrorText(error, error instanceof Error ? error.message : fallback);
}

interface TokenSource {
  /** 'line': inside LINE, whose browser cannot save a file the page fetched (files open in the phone's browser). */
  mode?: 'line' | 'mock';
  idToken(): string;
  refresh(): Promise<string | undefined>;
  openExternal?(url: string): void;
}

let tokens: TokenSource | undefined;

export function useTokens(source: TokenSource): void {
  tokens = source;
}

export interface CallOptions {
  body?: unknown;
  /** Raw bytes (an upload), sent as is. */
  file?: Blob;
  headers?: Record<string, string>;
  auth?: boolean;
  /** Statuses besides 2xx whose body is an answer, not an error (a statement refused row by row: 422). */
  answerStatuses?: number[];
  /** How long to wait for the whole answer (default ANSWER_TIMEOUT_MS, and more for an upload's size). */
  timeoutMs?: number;
}

/** Files coming down (a photo, a document, an XLSX of a whole province): megabytes on a slow link. */
const FILE_OPTIONS: CallOptions = { timeoutMs: 300_000 };

async function send(method: string, path: string, options: CallOptions, token: string | undefined): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (token) headers.authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (options.file) {
    headers['content-type'] = 'application/octet-stream';
    body = options.file;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const timeoutMs = options.timeoutMs ?? ANSWER_TIMEOUT_MS + (options.file ? options.file.size / UPLOAD_BYTES_PER_MS : 0);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    // The body is read inside the time limit too: a connection that dies halfway through the answer ends as well.
    const response = await fetch(path, { method, headers, body, signal: controller.signal });
    const bytes = await response.arrayBuffer();
    return new Response(response.status === 204 ? null : bytes, response);
  } catch {
    throw controller.signal.aborted ? new ApiError(0, 'TIMEOUT', TIMEOUT_MESSAGE) : new ApiError(0, 'OFFLINE', OFFLINE_MESSAGE);
  } finally {
    clearTimeout(timer);
  }
}

export async function api<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
  const auth = options.auth ?? true;
  let response = await send(method, path, options, auth ? tokens?.idToken() : undefined);
  if (response.status === 401 && auth && tokens) {
    const fresh = await tokens.refresh();
    if (fresh) response = await send(method, path, options, fresh);
  }
  const text = await response.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!response.ok && !options.answerStatuses?.includes(response.status)) {
    const error = (data ?? {}) as Partial<ErrorResponse>;
    throw new ApiError(
      response.status,
      error.code ?? 'ERROR',
      error.message ?? (response.status === 413 ? 'ไฟล์ใหญ่เกิน 5 เมกะไบต์ค่ะ' : 'ระบบขัดข้องชั่วคราว กรุณาลองใหม่อีกครั้งค่ะ'),
      error.errors ?? [],
    );
  }
  return data as T;
}

/** A document's bytes as an object URL (images shown inline, PDFs opened). */
export async function documentUrl(id: string): Promise<string> {
  const response = await send('GET', `/api/liff/documents/${encodeURIComponent(id)}`, FILE_OPTIONS, tokens?.idToken());
  if (!response.ok) throw new ApiError(response.status, 'ERROR', 'เปิดเอกสารไม่ได้ค่ะ');
  return URL.createObjectURL(await response.blob());
}

/** A follow-up photo's bytes as an object URL (shown inline on the debtor page). */
export async function photoUrl(id: string): Promise<string> {
  const response = await send('GET', `/api/liff/officer/photos/${encodeURIComponent(id)}`, FILE_OPTIONS, tokens?.idToken());
  if (!response.ok) throw new ApiError(response.status, 'ERROR', 'เปิดรูปไม่ได้ค่ะ');
  return URL.createObjectURL(await response.blob());
}

/** Any file of the officers' pages (evidence) as an object URL. */
export async function fileUrl(path: string): Promise<string> {
  const response = await send('GET', path, FILE_OPTIONS, tokens?.idToken());
  if (!response.ok) throw new ApiError(response.status, 'ERROR', 'เปิดไฟล์ไม่ได้ค่ะ');
  return URL.createObjectURL(await response.blob());
}

/** A transfer slip's photo as an object URL (the officers' slip queue). */
export async function slipImageUrl(id: number): Promise<string> {
  const response = await send('GET', `/api/liff/officer/slips/${id}/image`, FILE_OPTIONS, tokens?.idToken());
  if (!response.ok) throw new ApiError(response.status, 'ERROR', 'เปิดรูปสลิปไม่ได้ค่ะ');
  return URL.createObjectURL(await response.blob());
}

/**
 * Hands one of the officer's files (XLSX, PDF) to the phone. In LINE, a one-time link opens it in the phone's browser
 * (LINE's own cannot save a file the page fetched); elsewhere (a computer's browser, the simulator) it is fetched
 * with the ID token and saved from a blob.
 */
export async function downloadFile(path: string, fileName: string): Promise<void> {
  if (tokens?.mode === 'line' && tokens.openExternal) {
    const ticket = await api<DownloadTicketAnswer>('POST', '/api/liff/officer/download-tickets', { body: { path } });
    tokens.openExternal(ticket.url);
    return;
  }
  await downloadBlob(path, fileName);
}

/** The server's Thai name for the file (filename*, RFC 6266), which the plain ASCII one only stands in for. */
function savedNameOf(disposition: string | null): string | undefined {
  const encoded = disposition?.match(/filename\*=UTF-8''([^;]+)/i)?.[1];
  if (!encoded) return undefined;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

async function downloadBlob(path: string, fileName: string): Promise<void> {
  let response = await send('GET', path, FILE_OPTIONS, tokens?.idToken());
  if (response.status === 401 && tokens) {
    const fresh = await tokens.refresh();
    if (fresh) response = await send('GET', path, FILE_OPTIONS, fresh);
  }
  if (!response.ok) {
    let message = 'ดาวน์โหลดไม่สำเร็จค่ะ';
    try {
      message = ((await response.json()) as Partial<ErrorResponse>).message ?? message;
    } catch {
      // not JSON
    }
    throw new ApiError(response.status, 'ERROR', message);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = savedNameOf(response.headers.get('content-disposition')) ?? fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
