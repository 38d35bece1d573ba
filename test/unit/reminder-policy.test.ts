import { describe, expect, it } from 'vitest';
import { isWithinContactHours, nextContactTime, startOfContactDay } from '../../server/domain/contact-policy.ts';
import { overdueStageFor, planLoanReminders, fillTemplate, type LoanReminderFacts } from '../../server/domain/reminder-policy.ts';
import { deadlineReminderDue, nextQuarterReportDate, reportRemindersDue, weekStart } from '../../server/domain/officer-calendar.ts';
import { loadReminderPolicy } from '../../server/content/reminder-policy.ts';

const policy = loadReminderPolicy();
const offsets = policy.offsets;
const hours = policy.contactHours;
const holidays = new Set(['2026-12-10']); // วันรัฐธรรมนูญ, a Thursday
const bkk = (local: string) => new Date(`${local}+07:00`);

function loan(unpaid: LoanReminderFacts['unpaid'], extra: Partial<LoanReminderFacts> = {}): LoanReminderFacts {
  return { loanId: 7, contractNo: 'C-7', litigation: false, inSuspension: false, firstDueOn: '2026-01-15', unpaid, ...extra };
}

describe('reminder offsets', () => {
  const next = [{ seq: 12, dueOn: '2026-12-15', unpaid: 100_000 }];

  it('reminds 3 days before, not 4, and keeps the reminder until the day before', () => {
    expect(planLoanReminders(loan(next), '2026-12-11', offsets)).toEqual([]);
    const [soon] = planLoanReminders(loan(next), '2026-12-12', offsets);
    expect(soon).toMatchObject({ kind: 'due_soon', days: 3, amount: 100_000, dedupeKey: 'due_soon:7:12:2026-12-15', lastRelevantDay: '2026-12-14', urgency: 10 });
    // A run missed on the 12th still plans it on the 14th, under the same key.
    expect(planLoanReminders(loan(next), '2026-12-14', offsets)[0]).toMatchObject({ kind: 'due_soon', days: 1, dedupeKey: 'due_soon:7:12:2026-12-15' });
  });

  it('reminds on the due day', () => {
    expect(planLoanReminders(loan(next), '2026-12-15', offsets)).toEqual([
      expect.objectContaining({ kind: 'due_today', dedupeKey: 'due_today:7:12:2026-12-15', lastRelevantDay: '2026-12-15' }),
    ]);
  });

  it('reminds 1, 7 and 30 days after, then every 30 days, each once, firmer each time', () => {
    const overdue = [
      { seq: 3, dueOn: '2026-03-15', unpaid: 100_000 },
      { seq: 4, dueOn: '2026-04-15', unpaid: 100_000 },
    ];
    const at = (today: string) => planLoanReminders(loan(overdue), today, offsets).filter((p) => p.kind.startsWith('overdue'));
    expect(at('2026-03-15')).toEqual([]);
    expect(at('2026-03-16')[0]).toMatchObject({ kind: 'overdue_1', days: 1, amount: 100_000, dedupeKey: 'overdue_1:7:3:2026-03-15:1', lastRelevantDay: '2026-03-21' });
    expect(at('2026-03-21')[0]).toMatchObject({ kind: 'overdue_1', dedupeKey: 'overdue_1:7:3:2026-03-15:1' });
    expect(at('2026-03-22')[0]).toMatchObject({ kind: 'overdue_7', dedupeKey: 'overdue_7:7:3:2026-03-15:7' });
    expect(at('2026-04-14')[0]).toMatchObject({ kind: 'overdue_30', dedupeKey: 'overdue_30:7:3:2026-03-15:30', amount: 100_000 });
    // The next installment also fell due: the amount is all that is overdue, the stage follows the oldest.
    expect(at('2026-04-16')[0]).toMatchObject({ kind: 'overdue_30', amount: 200_000 });
    expect(at('2026-05-14')[0]).toMatchObject({ kind: 'overdue_repeat', dedupeKey: 'overdue_repeat:7:3:2026-03-15:60', days: 60 });
    expect(at('2026-06-13')[0]).toMatchObject({ kind: 'overdue_repeat', dedupeKey: 'overdue_repeat:7:3:2026-03-15:90' });
    expect(overdueStageFor(0, offsets)).toBeUndefined();
    expect(overdueStageFor(45, offsets)).toEqual({ stage: 30, next: 60 });
  });

  it('gives a renumbered schedule (after a restructuring) keys of its own', () => {
    const before = planLoanReminders(loan([{ seq: 12, dueOn: '2026-12-15', unpaid: 100_000 }]), '2026-12-12', offsets)[0]!;
    const after = planLoanReminders(loan([{ seq: 12, dueOn: '2026-12-14', unpaid: 50_000 }]), '2026-12-12', offsets)[0]!;
    expect(after.dedupeKey).not.toBe(before.dedupeKey);
  });

  it('sends only the keep-paying nudge, on the usual due day, to a borrower in a debt suspension', () => {
    const suspended = loan([{ seq: 3, dueOn: '2026-03-15', unpaid: 100_000 }], { inSuspension: true, firstDueOn: '2026-01-31' });
    expect(planLoanReminders(suspended, '2026-11-29', offsets)).toEqual([]);
    expect(planLoanReminders(suspended, '2026-11-30', offsets)).toEqual([
      expect.objectContaining({ kind: 'keep_paying', dedupeKey: 'keep_paying:7:2026-11', urgency: 5 }),
    ]);
    expect(planLoanReminders(suspended, '2026-12-31', offsets)[0]).toMatchObject({ dedupeKey: 'keep_paying:7:2026-12' });
  });

  it('leaves loans in litigation to the legal process', () => {
    expect(planLoanReminders(loan([{ seq: 1, dueOn: '2026-01-15', unpaid: 1 }], { litigation: true }), '2026-11-23', offsets)).toEqual([]);
  });

  it('fills texts from the data file, in Thai', () => {
    expect(policy.texts.keep_paying).toContain('พักหนี้ไม่พักจ่าย');
    expect(fillTemplate('คุณ{name} ยอด {amount} {unknown}', { name: 'มาลี', amount: '฿1.00' })).toBe('คุณมาลี ยอด ฿1.00 {unknown}');
  });
});

describe('contact hours', () => {
  it('allows weekdays 08:00 to 20:00: 19:59 yes, 20:01 no', () => {
    expect(isWithinContactHours(bkk('2026-11-23T19:59:00'), hours, holidays)).toBe(true);
    expect(isWithinContactHours(bkk('2026-11-23T20:00:00'), hours, holidays)).toBe(false);
    expect(isWithinContactHours(bkk('2026-11-23T20:01:00'), hours, holidays)).toBe(false);
    expect(isWithinContactHours(bkk('2026-11-23T07:59:00'), hours, holidays)).toBe(false);
    expect(isWithinContactHours(bkk('2026-11-23T08:00:00'), hours, holidays)).toBe(true);
  });

  it('allows weekends and public holidays 08:00 to 18:00', () => {
    expect(isWithinContactHours(bkk('2026-11-28T17:59:00'), hours, holidays)).toBe(true); // Saturday
    expect(isWithinContactHours(bkk('2026-11-28T18:01:00'), hours, holidays)).toBe(false);
    expect(isWithinContactHours(bkk('2026-11-29T12:00:00'), hours, holidays)).toBe(true); // Sunday
    expect(isWithinContactHours(bkk('2026-12-10T18:30:00'), hours, holidays)).toBe(false); // holiday, a Thursday
    expect(isWithinContactHours(bkk('2026-12-11T18:30:00'), hours, holidays)).toBe(true); // the Friday after
  });

  it('defers to the next allowed time instead of dropping', () => {
    expect(nextContactTime(bkk('2026-11-23T20:01:00'), hours, holidays).toISOString()).toBe(bkk('2026-11-24T08:00:00').toISOString());
    expect(nextContactTime(bkk('2026-11-24T06:30:00'), hours, holidays).toISOString()).toBe(bkk('2026-11-24T08:00:00').toISOString());
    expect(nextContactTime(bkk('2026-11-28T18:30:00'), hours, holidays).toISOString()).toBe(bkk('2026-11-29T08:00:00').toISOString());
    const inside = bkk('2026-11-23T10:00:00');
    expect(nextContactTime(inside, hours, holidays)).toBe(inside);
    expect(startOfContactDay('2026-12-10', hours, holidays).toISOString()).toBe(bkk('2026-12-10T08:00:00').toISOString());
  });
});

describe('officer calendar', () => {
  it('knows the quarterly report dates and when to remind', () => {
    expect(nextQuarterReportDate('2026-11-23')).toBe('2026-12-05');
    expect(nextQuarterReportDate('2026-12-06')).toBe('2027-03-05');
    expect(reportRemindersDue('2026-11-27')).toEqual([]);
    expect(reportRemindersDue('2026-11-28')).toEqual([{ reportDate: '2026-12-05', daysBefore: 7, daysLeft: 7 }]);
    expect(reportRemindersDue('2026-12-03')).toEqual([{ reportDate: '2026-12-05', daysBefore: 7, daysLeft: 2 }]);
    expect(reportRemindersDue('2026-12-04')).toEqual([{ reportDate: '2026-12-05', daysBefore: 1, daysLeft: 1 }]);
    expect(reportRemindersDue('2027-02-26')).toEqual([{ reportDate: '2027-03-05', daysBefore: 7, daysLeft: 7 }]);
  });

  it('reminds 7 days and 1 day before a selection round’s last day, catching up a missed morning, never after it', () => {
    expect(deadlineReminderDue('2025-04-20', '2025-04-28')).toBeUndefined();
    expect(deadlineReminderDue('2025-04-21', '2025-04-28')).toEqual({ daysBefore: 7, daysLeft: 7 });
    expect(deadlineReminderDue('2025-04-26', '2025-04-28')).toEqual({ daysBefore: 7, daysLeft: 2 });
    expect(deadlineReminderDue('2025-04-27', '2025-04-28')).toEqual({ daysBefore: 1, daysLeft: 1 });
    expect(deadlineReminderDue('2025-04-28', '2025-04-28')).toEqual({ daysBefore: 1, daysLeft: 0 });
    expect(deadlineReminderDue('2025-04-29', '2025-04-28')).toBeUndefined();
  });

  it('names weeks by their Monday', () => {
    expect(weekStart('2026-11-23')).toBe('2026-11-23');
    expect(weekStart('2026-11-29')).toBe('2026-11-23');
    expect(weekStart('2026-11-30')).toBe('2026-11-30');
  });
});
