// One-time download links: LINE's in-app browser cannot save a file the mini-app fetched, so the page opens the file
// in the phone's browser with a ticket that stands in for the ID token once, for that address, for two minutes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { asUser } from './officer-support.ts';

let t: TestApp;
let province: ReturnType<typeof asUser>;
let district: ReturnType<typeof asUser>;
const XLSX = '/api/liff/officer/reports/ageing/xlsx?asOf=2026-11-23';

beforeAll(async () => {
  t = await startTestApp({ now: '2026-11-23T03:00:00Z' });
  await t.importLoans([
    { contract_no: 'DT-1', full_name: 'ลูกหนี้ ดาวน์โหลด', province: 'ตราด', district: 'เมืองตราด', subdistrict: 'บางพระ', first_due_on: '2026-01-15', paid_total: '1,000' },
    { contract_no: 'DT-2', full_name: 'ลูกหนี้ คลองใหญ่', province: 'ตราด', district: 'คลองใหญ่', subdistrict: 'หาดเล็ก', first_due_on: '2026-01-15', paid_total: '0' },
  ]);
  province = asUser(t, await t.linkOfficer({ name: 'จังหวัด', role: 'province', area: 'ตราด' }));
  district = asUser(t, await t.linkOfficer({ name: 'อำเภอ', role: 'district', area: 'ตราด/เมืองตราด' }));
});
afterAll(async () => {
  await t?.close();
});

const open = (url: string) => fetch(`${t.url}${url}`);

describe('one-time download links', () => {
  it('opens the file once without an ID token, then refuses the same link', async () => {
    const ticket = await province.post<{ url: string; expiresInSeconds: number }>('/api/liff/officer/download-tickets', { path: XLSX });
    expect(ticket.status).toBe(201);
    expect(ticket.body.url).toMatch(/^\/api\/liff\/officer\/reports\/ageing\/xlsx\?asOf=2026-11-23&ticket=[A-Za-z0-9_-]{20,64}$/);
    const first = await open(ticket.body.url);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-disposition')).toContain('attachment');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await first.arrayBuffer()) as ArrayBuffer);
    expect(workbook.worksheets.length).toBeGreaterThan(0);
    const again = await open(ticket.body.url);
    expect(again.status).toBe(410);
    expect((await again.json()).code).toBe('GONE');
  });

  it('works for an area picked on the page (its path percent-encoded in the query)', async () => {
    const path = `/api/liff/officer/reports/ageing/xlsx?${new URLSearchParams({ area: 'ตราด/เมืองตราด', asOf: '2026-11-23' })}`;
    const ticket = await district.post<{ url: string }>('/api/liff/officer/download-tickets', { path });
    expect(ticket.status).toBe(201);
    const file = await open(new URL(ticket.body.url, t.url).pathname + new URL(ticket.body.url, t.url).search);
    expect(file.status).toBe(200);
    // Read to the end, as the phone's browser does (an unread stream holds the report's database connection).
    expect((await file.arrayBuffer()).byteLength).toBeGreaterThan(0);
  });

  it('is bound to its address: the same ticket on another file or area is refused', async () => {
    const ticket = await district.post<{ url: string }>('/api/liff/officer/download-tickets', { path: XLSX });
    const token = new URL(ticket.body.url, t.url).searchParams.get('ticket');
    const elsewhere = await open(`/api/liff/officer/reports/debtors/xlsx?asOf=2026-11-23&ticket=${token}`);
    expect(elsewhere.status).toBe(410);
  });

  it('expires after two minutes', async () => {
    const ticket = await province.post<{ url: string }>('/api/liff/officer/download-tickets', { path: XLSX });
    t.clock.advanceMinutes(2.1);
    expect((await open(ticket.body.url)).status).toBe(410);
  });

  it('still applies the officer’s scope: a district’s ticket cannot open another district’s report', async () => {
    // Built as the report page builds it (URLSearchParams: Thai and "/" percent-encoded).
    const path = `/api/liff/officer/reports/ageing/xlsx?${new URLSearchParams({ area: 'ตราด/คลองใหญ่', asOf: '2026-11-23' })}`;
    const withToken = await district.get(path);
    const ticket = await district.post<{ url: string }>('/api/liff/officer/download-tickets', { path });
    expect(ticket.status).toBe(201);
    const opened = await open(ticket.body.url);
    expect(withToken.status).toBeGreaterThanOrEqual(400);
    expect(opened.status).toBe(withToken.status);
  });

  it('is only for files of the officers’ pages, and only for officers', async () => {
    expect((await province.post('/api/liff/officer/download-tickets', { path: '/api/liff/my-data' })).status).toBe(400);
    expect((await province.post('/api/liff/officer/download-tickets', { path: '/api/liff/officer/debtors' })).status).toBe(400);
    expect((await open('/api/liff/officer/debtors?ticket=AAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(410);
    expect((await open(XLSX)).status).toBe(401);
  });
});
