// The shared request schema speaks Thai and accepts what people type; the card's postbacks stay small and exact.
import { describe, expect, it } from 'vitest';
import { ENROLLMENT_STATUS_VALUES, enrollmentRequestSchema, linkRequestSchema } from '../../server/contracts/liff.ts';
import { DECISIONS_AT_LEVEL, ENROLLMENT_STATUSES } from '../../server/domain/enrollment-workflow.ts';
import { enrollmentReviewMessage } from '../../server/line/flex/enrollment.flex.ts';
import { decodeEnrollmentDecision, decodePostbackFields, enrollmentDecisionData } from '../../server/line/postback.ts';
import type { EnrollmentCard } from '../../server/services/notifications.ts';
import { sniffDocumentType } from '../../server/services/enrollment-submission.service.ts';

const minimal = { contractNo: 'C-1', measureCode: 'term_extension', reason: 'ตกงาน', phone: '0812345678', consent: true };

describe('the application request schema', () => {
  it('lists the same statuses as the workflow', () => {
    expect([...ENROLLMENT_STATUS_VALUES]).toEqual([...ENROLLMENT_STATUSES]);
  });

  it('accepts the minimum, and amounts typed with commas', () => {
    const parsed = enrollmentRequestSchema.parse({ ...minimal, phone: '081-234 5678', monthlyIncome: '12,500.50', monthlyExpenses: 8000, affordableMonthlyPayment: null });
    expect(parsed).toMatchObject({ phone: '0812345678', monthlyIncome: 12_500.5, monthlyExpenses: 8000, documentIds: [] });
    expect(parsed.affordableMonthlyPayment).toBeUndefined();
    // Thai digits and the word or sign for baht, as a borrower types them.
    expect(enrollmentRequestSchema.parse({ ...minimal, monthlyIncome: '๙,๐๐๐', monthlyExpenses: '8000 บาท', affordableMonthlyPayment: '฿ 1,500' })).toMatchObject({
      monthlyIncome: 9000,
      monthlyExpenses: 8000,
      affordableMonthlyPayment: 1500,
    });
    expect(enrollmentRequestSchema.safeParse({ ...minimal, monthlyIncome: 'พันบาท' }).success).toBe(false);
    expect(enrollmentRequestSchema.parse({ ...minimal, phone: '+66 81 234 5678', reasonCode: 'income_loss' })).toMatchObject({ phone: '0812345678', reasonCode: 'income_loss' });
    // Typed on a Thai keyboard, as she says it.
    expect(enrollmentRequestSchema.parse({ ...minimal, phone: '๐๘๑-๒๓๔-๕๖๗๘' }).phone).toBe('0812345678');
    expect(enrollmentRequestSchema.parse({ ...minimal, phone: '081.234.5678' }).phone).toBe('0812345678');
    // A landline has 9 digits; a mobile a digit short is a number nobody can call back, and she is told so.
    expect(enrollmentRequestSchema.parse({ ...minimal, phone: '039-511-234' }).phone).toBe('039511234');
    expect(enrollmentRequestSchema.parse({ ...minimal, phone: '02 123 4567' }).phone).toBe('021234567');
    const short = enrollmentRequestSchema.safeParse({ ...minimal, phone: '๐๘๑-๒๓๔-๕๖๗' });
    expect(short.error!.issues.map((i) => i.message)).toEqual(['เบอร์มือถือต้องมี 10 หลัก ที่กรอกมี 9 หลัก กรุณาตรวจสอบอีกครั้ง เช่น 0812345678']);
    expect(enrollmentRequestSchema.safeParse({ ...minimal, phone: '0391234567' }).error!.issues[0]!.path).toEqual(['phone']);
    const empty = enrollmentRequestSchema.safeParse({ ...minimal, phone: '  ' });
    expect(empty.success ? [] : empty.error.issues.map((i) => i.message)).toEqual(['กรุณากรอกเบอร์โทรศัพท์ที่ติดต่อได้']);
    expect(enrollmentRequestSchema.safeParse({ ...minimal, reasonCode: 'DROP TABLE' }).error!.issues[0]).toMatchObject({ path: ['reasonCode'], message: 'รหัสสาเหตุไม่ถูกต้อง' });
  });

  it('explains every problem in Thai, at its field', () => {
    const result = enrollmentRequestSchema.safeParse({ contractNo: 5, reason: 'ab', phone: '0812', consent: 'yes', monthlyIncome: 10.555, documentIds: ['x'] });
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    expect(issues.map((i) => i.path).sort()).toEqual(['consent', 'contractNo', 'documentIds.0', 'measureCode', 'monthlyIncome', 'phone', 'reason']);
    for (const issue of issues) expect(issue.message).toMatch(/[\u0E00-\u0E7F]/);
    expect(issues.find((i) => i.path === 'monthlyIncome')!.message).toContain('ทศนิยมได้ไม่เกิน 2 ตำแหน่ง');
  });

  it('refuses a body that is not an object, in Thai', () => {
    const result = enrollmentRequestSchema.safeParse('hello');
    expect(result.error!.issues[0]!.message).toBe('ข้อมูลคำขอไม่ถูกต้อง');
  });
});

describe('documents', () => {
  it('are typed by their first bytes', () => {
    expect(sniffDocumentType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe1]))).toBe('image/jpeg');
    expect(sniffDocumentType(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffDocumentType(new TextEncoder().encode('%PDF-1.7'))).toBe('application/pdf');
    expect(sniffDocumentType(new TextEncoder().encode('GIF89a'))).toBeUndefined();
    expect(sniffDocumentType(new Uint8Array())).toBeUndefined();
  });
});

describe('the review card', () => {
  const card: EnrollmentCard = {
    id: 12_345,
    version: 7,
    level: 'province',
    borrowerName: 'มาลี ทองคำ',
    nationalIdMasked: '1-xxxx-xxxxx-45-1',
    areaPath: 'ตราด/เมืองตราด/บางพระ',
    contractNo: 'TRT-2566-0002',
    measureTitle: 'การขยายระยะเวลาชำระหนี้',
    reasonCode: 'illness',
    reason: 'ป่วยเข้าโรงพยาบาลสองเดือน',
    phone: '0812345678',
    monthlyIncome: 900_000,
    monthlyExpenses: null,
    affordablePayment: 50_000,
    documentCount: 2,
    submittedAt: '2026-11-23T03:00:00.000Z',
    deadlineAt: '2026-12-08T03:00:00.000Z',
    loanStatus: 'defaulted',
    overdue: 300_000,
    outstandingTotal: 3_900_000,
    resubmitted: false,
  };

  it('carries the level’s three buttons with short postbacks that decode to the decision and version', () => {
    const json = JSON.stringify(enrollmentReviewMessage(card, 'https://liff.line.me/x/review/12345'));
    for (const { decision, label } of DECISIONS_AT_LEVEL.province) {
      const data = enrollmentDecisionData(card.id, decision, card.version);
      expect(data.length).toBeLessThanOrEqual(300);
      expect(json).toContain(`"label":"${label}","data":"${data}"`);
      expect(decodeEnrollmentDecision(decodePostbackFields(data))).toEqual({ enrollmentId: 12_345, decision, version: 7 });
    }
    expect(json).toContain('เจ็บป่วยหรือประสบอุบัติเหตุ: ป่วยเข้าโรงพยาบาลสองเดือน');
    expect(json).toContain('ภายใน 8 ธ.ค. 2569');
    expect(decodeEnrollmentDecision({ a: 'enr', id: '1', d: 'launch', v: '1' })).toBeUndefined();
    expect(decodeEnrollmentDecision({ action: 'debt' })).toBeUndefined();
  });
});

describe('the link code typed in the mini-app', () => {
  it('reads Thai digits, spaces and dashes as the chat does', () => {
    expect(linkRequestSchema.parse({ code: '๕๐๘๐ ๕๓๐๑' }).code).toBe('50805301');
    expect(linkRequestSchema.parse({ code: '5080-5301' }).code).toBe('50805301');
    // Pasted with its words: the digits are the code. A digit short says how many there were.
    expect(linkRequestSchema.parse({ code: 'รหัส 3650 8546' }).code).toBe('36508546');
    expect(linkRequestSchema.safeParse({ code: '๕๐๘๐ ๕๓๐' }).error!.issues[0]!.message).toBe('รหัสผูกบัญชีมี 8 หลักค่ะ ที่กรอกมี 7 หลัก กรุณาตรวจอีกครั้ง');
    expect(linkRequestSchema.safeParse({ code: 'ไม่มีรหัส' }).error!.issues[0]!.message).toBe('รหัสผูกบัญชีต้องเป็นตัวเลข 8 หลัก เช่น 1234 5678');
  });
});
