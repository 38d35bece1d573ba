// What is due now (the QR's amount and Ref2 installment), the signed ticket's text, and how "วิธีชำระ" and reminders
// look in LINE with and without PROMPTPAY_BILLER_ID.
import { describe, expect, it } from 'vitest';
import { paymentDueNow, parseTicketText, ticketText } from '../../server/domain/payment-due.ts';
import { renderReply } from '../../server/line/chat-renderer.ts';
import { createNotificationRenderer } from '../../server/line/notification-renderer.ts';
import { loadReminderPolicy } from '../../server/content/reminder-policy.ts';
import type { Notification } from '../../server/services/notifications.ts';

const LIFF = 'https://liff.line.me/1650000000-test';

describe('what a QR asks for', () => {
  it('arrears first, in one payment towards the loan (installment 000)', () => {
    expect(paymentDueNow({ overdue: 246_179, nextDue: { dueOn: '2026-12-15', amount: 100_000, seq: 12, interestOnly: false } })).toEqual({ amount: 246_179, installmentSeq: 0, dueOn: null });
  });
  it('else the next installment, with its number', () => {
    expect(paymentDueNow({ overdue: 0, nextDue: { dueOn: '2026-12-15', amount: 100_000, seq: 12, interestOnly: false } })).toEqual({ amount: 100_000, installmentSeq: 12, dueOn: '2026-12-15' });
  });
  it('nothing when nothing is expected', () => {
    expect(paymentDueNow({ overdue: 0, nextDue: undefined })).toBeUndefined();
    expect(paymentDueNow({ overdue: 0, nextDue: { dueOn: '2026-12-15', amount: 0, seq: 12, interestOnly: true } })).toBeUndefined();
  });
});

describe('QR ticket text', () => {
  it('round-trips and refuses anything else', () => {
    const ticket = { loanId: 42, installmentSeq: 7, amount: 123_450, expiresDay: 20_500 };
    expect(parseTicketText(ticketText(ticket))).toEqual(ticket);
    for (const text of ['42-7-0-20500', '42-7-123450', 'x-7-1-1', '42-1000-1-1', '42-7-1-1-1', '']) expect(parseTicketText(text)).toBeUndefined();
  });
});

describe('"วิธีชำระ" in LINE', () => {
  it('without a biller ID: today’s counter and transfer text, with her contract numbers', () => {
    const messages = renderReply({ audience: 'borrower', answers: [{ kind: 'how_to_pay', contractNos: ['TRT-2566-0001'] }] }, LIFF);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ type: 'text' });
    expect(String(messages[0]!.text)).toContain('สำนักงานพัฒนาชุมชนอำเภอ');
    expect(String(messages[0]!.text)).toContain('TRT-2566-0001');
  });

  it('with QRs: the intro, then one image per loan (at most three), the menu under the last', () => {
    const qrs = [1, 2, 3, 4].map((n) => ({ contractNo: `TRT-2566-000${n}`, amount: 100_000 * n, installmentSeq: n, dueOn: '2026-12-15', imageUrl: `https://wdf.example/pay/qr/${n}.png` }));
    const messages = renderReply({ audience: 'borrower', answers: [{ kind: 'how_to_pay', contractNos: qrs.map((q) => q.contractNo), qrs, qrEnabled: true }] }, LIFF);
    expect(messages.map((m) => m.type)).toEqual(['text', 'image', 'image', 'image']);
    expect(messages[1]).toMatchObject({ originalContentUrl: 'https://wdf.example/pay/qr/1.png', previewImageUrl: 'https://wdf.example/pay/qr/1.png' });
    expect(String(messages[0]!.text)).toContain('฿2,000.00');
    expect(messages[3]!.quickReply).toBeDefined();
  });

  it('with QR payment on but nothing due: says so, and how to pay ahead', () => {
    const messages = renderReply({ audience: 'borrower', answers: [{ kind: 'how_to_pay', contractNos: ['TRT-2566-0001'], qrs: [], qrEnabled: true }] }, LIFF);
    expect(String(messages[0]!.text)).toContain('ตอนนี้ไม่มียอดที่ต้องชำระ');
  });
});

describe('reminders with the QR', () => {
  const reminder: Notification = { kind: 'borrower_reminder', reminder: 'overdue_7', fullName: 'สมศรี ใจดี', contractNo: 'TRT-2566-0001', amount: 100_000, dueOn: '2026-11-15', days: 8, loanId: 9, installmentSeq: 11 };
  const policy = loadReminderPolicy();

  it('adds the image that pays it when QR payment is on', () => {
    const asked: unknown[] = [];
    const renderer = createNotificationRenderer({ liffUrl: LIFF, policy, paymentQrUrl: (due) => (asked.push(due), 'https://wdf.example/pay/qr/t.png') });
    const messages = renderer.render(reminder);
    expect(asked).toEqual([{ loanId: 9, installmentSeq: 11, amount: 100_000 }]);
    expect(messages.map((m) => m.type)).toEqual(['text', 'image']);
    expect(String(messages[0]!.text)).toContain('สแกนจ่ายได้จากรูป QR');
    expect(messages[1]!.quickReply).toBeDefined();
  });

  it('is the text alone without it, or for a reminder planned before QRs existed', () => {
    const off = createNotificationRenderer({ liffUrl: LIFF, policy, paymentQrUrl: () => undefined });
    expect(off.render(reminder).map((m) => m.type)).toEqual(['text']);
    const on = createNotificationRenderer({ liffUrl: LIFF, policy, paymentQrUrl: () => 'https://wdf.example/x.png' });
    const { loanId: _loanId, installmentSeq: _seq, ...old } = reminder as Extract<Notification, { kind: 'borrower_reminder' }>;
    expect(on.render(old).map((m) => m.type)).toEqual(['text']);
  });
});
