// The application's state machine: who may move it where, the 15-day deadlines, stale buttons.
import { describe, expect, it } from 'vitest';
import {
  decideAsOfficer,
  DECISIONS_AT_LEVEL,
  initialEnrollmentState,
  isStepRefusal,
  officerCoversArea,
  resubmitAsBorrower,
  withdrawAsBorrower,
  type EnrollmentStep,
} from '../../server/domain/enrollment-workflow.ts';

const day0 = new Date('2026-11-23T03:00:00Z');
const day = (n: number) => new Date(day0.getTime() + n * 86_400_000);

function step(value: ReturnType<typeof decideAsOfficer>): EnrollmentStep {
  if (isStepRefusal(value)) throw new Error(`refused: ${value}`);
  return value;
}

describe('enrollment workflow', () => {
  it('starts at the district with 15 days', () => {
    const { state, deadlineAt } = initialEnrollmentState(day0);
    expect(state).toEqual({ status: 'district_review', awaitingLevel: 'district', returnLevel: null, version: 1 });
    expect(deadlineAt.toISOString()).toBe('2026-12-08T03:00:00.000Z');
  });

  it('travels district → province → department → approved, each level with a fresh 15 days', () => {
    let { state } = initialEnrollmentState(day0);
    const toProvince = step(decideAsOfficer(state, 'district', 'forward', day(3)));
    expect(toProvince.to).toBe('province_review');
    expect(toProvince.deadlineAt?.toISOString()).toBe(day(18).toISOString());
    state = toProvince.state;
    const toDepartment = step(decideAsOfficer(state, 'province', 'forward', day(10)));
    expect(toDepartment.state.awaitingLevel).toBe('department');
    state = toDepartment.state;
    const approved = step(decideAsOfficer(state, 'department', 'approve', day(20)));
    expect(approved).toMatchObject({ from: 'department_review', to: 'approved', deadlineAt: null, decided: true });
    expect(approved.state.version).toBe(4);
  });

  it('lets only the level the application waits at decide, and only with its own buttons', () => {
    const { state } = initialEnrollmentState(day0);
    expect(decideAsOfficer(state, 'province', 'forward', day0)).toBe('not_allowed');
    expect(decideAsOfficer(state, undefined, 'forward', day0)).toBe('not_allowed');
    expect(decideAsOfficer(state, 'district', 'approve', day0)).toBe('not_allowed');
    expect(DECISIONS_AT_LEVEL.district.map((d) => d.label)).toEqual(['ส่งต่อจังหวัด', 'ขอเอกสารเพิ่ม', 'ไม่อนุมัติ']);
    expect(DECISIONS_AT_LEVEL.province.map((d) => d.label)).toEqual(['ส่งต่อกรม', 'ขอเอกสารเพิ่ม', 'ไม่อนุมัติ']);
    expect(DECISIONS_AT_LEVEL.department.map((d) => d.label)).toEqual(['อนุมัติ', 'ขอเอกสารเพิ่ม', 'ไม่อนุมัติ']);
  });

  it('recognises a button made for an earlier version as stale', () => {
    const { state } = initialEnrollmentState(day0);
    const forwarded = step(decideAsOfficer(state, 'district', 'forward', day0, 1));
    expect(decideAsOfficer(forwarded.state, 'district', 'forward', day0, 1)).toBe('stale');
    expect(decideAsOfficer(forwarded.state, 'province', 'reject', day0, 1)).toBe('stale');
    const rejected = step(decideAsOfficer(forwarded.state, 'province', 'reject', day0, 2));
    expect(decideAsOfficer(rejected.state, 'province', 'reject', day0)).toBe('stale');
  });

  it('sends a request for documents to the borrower and back to the level that asked', () => {
    const { state } = initialEnrollmentState(day0);
    const atProvince = step(decideAsOfficer(state, 'district', 'forward', day0)).state;
    const asked = step(decideAsOfficer(atProvince, 'province', 'request_documents', day(2)));
    expect(asked.state).toMatchObject({ status: 'needs_documents', awaitingLevel: null, returnLevel: 'province' });
    expect(asked.deadlineAt).toBeNull();
    const back = resubmitAsBorrower(asked.state, day(5));
    if (isStepRefusal(back)) throw new Error(back);
    expect(back.to).toBe('province_review');
    expect(back.deadlineAt?.toISOString()).toBe(day(20).toISOString());
    expect(resubmitAsBorrower(back.state, day(6))).toBe('stale');
  });

  it('lets the borrower withdraw an open application only', () => {
    const { state } = initialEnrollmentState(day0);
    const withdrawn = withdrawAsBorrower(state, day0);
    if (isStepRefusal(withdrawn)) throw new Error(withdrawn);
    expect(withdrawn.to).toBe('withdrawn');
    expect(withdrawAsBorrower(withdrawn.state, day0)).toBe('stale');
  });

  it('scopes officers to the borrower’s district, province, or the whole country', () => {
    const area = 'ตราด/เมืองตราด/บางพระ';
    expect(officerCoversArea({ role: 'district', scopePath: 'ตราด/เมืองตราด' }, 'district', area)).toBe(true);
    expect(officerCoversArea({ role: 'district', scopePath: 'ตราด/คลองใหญ่' }, 'district', area)).toBe(false);
    expect(officerCoversArea({ role: 'province', scopePath: 'ตราด' }, 'province', area)).toBe(true);
    expect(officerCoversArea({ role: 'province', scopePath: 'จันทบุรี' }, 'province', area)).toBe(false);
    expect(officerCoversArea({ role: 'province', scopePath: 'ตราด' }, 'district', area)).toBe(false);
    expect(officerCoversArea({ role: 'department', scopePath: null }, 'department', area)).toBe(true);
    expect(officerCoversArea({ role: 'tambon', scopePath: area }, 'district', area)).toBe(false);
  });
});
