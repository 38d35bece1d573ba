// The officer's working rules, pure: promises judged, registry changes reconciled with recorded payments,
// the week's thresholds, the follow-up edit window, receipts and masked contract numbers.
import { describe, expect, it } from 'vitest';
import { allocatePromisePayments, judgementDay, judgePromise, promiseReminderDay, type PromiseCredit, type PromiseWindow } from '../../server/domain/payment-promise.ts';
import { effectivePaidTotal, reconcileRegistryChange } from '../../server/domain/payment-reconciliation.ts';
import { canEditFollowUp, isWithinBackdate, maskContractNo, normalizeReceiptNo, thresholdsCrossedDuring, workWeek } from '../../server/domain/officer-work.ts';

describe('promises to pay', () => {
  const terms = { amount: 100_000, madeOn: '2026-11-23', promisedOn: '2026-11-30' };

  it('is kept as soon as the amount is paid, even before the day', () => {
    expect(judgePromise(terms, 100_000, '2026-11-24', 0)).toBe('kept');
    expect(judgePromise(terms, 150_000, '2026-12-10', 0)).toBe('kept');
  });

  it('stays open until the day after the date plus the grace days, then is partly kept or broken', () => {
    expect(judgePromise(terms, 40_000, '2026-11-30', 0)).toBe('open');
    expect(judgePromise(terms, 40_000, '2026-12-01', 0)).toBe('partly_kept');
    expect(judgePromise(terms, 0, '2026-12-01', 0)).toBe('broken');
    expect(judgementDay(terms, 0)).toBe('2026-12-01');
    expect(judgementDay(terms, 3)).toBe('2026-12-04');
    expect(judgePromise(terms, 0, '2026-12-03', 3)).toBe('open');
    expect(judgePromise(terms, 0, '2026-12-04', 3)).toBe('broken');
  });

  it('reopens when what kept it is gone (a reversed payment) before the day, and turns to broken after', () => {
    expect(judgePromise(terms, 100_000, '2026-11-25', 0)).toBe('kept');
    expect(judgePromise(terms, 0, '2026-11-25', 0)).toBe('open');
    expect(judgePromise(terms, 0, '2026-12-02', 0)).toBe('broken');
  });

  it('reminds the borrower the day before, when that day is still ahead', () => {
    expect(promiseReminderDay(terms, '2026-11-23')).toBe('2026-11-29');
    expect(promiseReminderDay({ promisedOn: '2026-11-24' }, '2026-11-23')).toBe('2026-11-23');
    expect(promiseReminderDay({ promisedOn: '2026-11-23' }, '2026-11-23')).toBeUndefined();
  });
});

describe('which money counts towards which promise', () => {
  const at = (iso: string) => new Date(iso);
  const promise = (id: number, amount: number, madeOn: string, lastCountingDay: string, loanId: number | null = null): PromiseWindow => ({
    id, loanId, amount, madeOn, givenAt: at(`${madeOn}T03:00:00Z`), lastCountingDay,
  });
  const officerPaid = (amount: number, paidOn: string, loanId = 1): PromiseCredit => ({ loanId, amount, paidOn, recordedAt: at(`${paidOn}T05:00:00Z`), source: 'officer' });

  it('counts a baht once: two promises and one payment keep the first, and the second still waits', () => {
    const paid = allocatePromisePayments([promise(1, 100_000, '2026-11-20', '2026-11-30'), promise(2, 120_000, '2026-11-22', '2026-12-12')], [officerPaid(100_000, '2026-11-25')]);
    expect(paid).toEqual(new Map([[1, 100_000], [2, 0]]));
  });

  it('passes what is left over on to the next promise, and only inside its days', () => {
    const promises = [promise(1, 50_000, '2026-11-20', '2026-11-30'), promise(2, 50_000, '2026-11-20', '2026-12-10')];
    expect(allocatePromisePayments(promises, [officerPaid(80_000, '2026-11-25')])).toEqual(new Map([[1, 50_000], [2, 30_000]]));
    // Paid after the first promise's last day: only the second counts it.
    expect(allocatePromisePayments(promises, [officerPaid(80_000, '2026-12-05')])).toEqual(new Map([[1, 0], [2, 50_000]]));
  });

  it('keeps to the promise\'s loan, its first day and the registry\'s corrections', () => {
    const onLoan2 = promise(1, 50_000, '2026-11-20', '2026-11-30', 2);
    expect(allocatePromisePayments([onLoan2], [officerPaid(50_000, '2026-11-25', 1)]).get(1)).toBe(0);
    // Paid the day the promise was given, but recorded before it: money it was not about.
    expect(allocatePromisePayments([onLoan2], [{ ...officerPaid(50_000, '2026-11-20', 2), recordedAt: at('2026-11-20T01:00:00Z') }]).get(1)).toBe(0);
    // A registry record of 30,000 corrected by -20,000 leaves 10,000.
    const registry = (amount: number, iso: string): PromiseCredit => ({ loanId: 2, amount, paidOn: iso.slice(0, 10), recordedAt: at(iso), source: 'registry' });
    expect(allocatePromisePayments([onLoan2], [registry(30_000, '2026-11-24T02:00:00Z'), registry(-20_000, '2026-11-26T02:00:00Z')]).get(1)).toBe(10_000);
  });
});

describe('registry paid_total and recorded payments', () => {
  const pending = [
    { paymentId: 1, unconfirmed: 100_000 },
    { paymentId: 2, unconfirmed: 50_000 },
  ];

  it('a rise that covers our payments confirms them, oldest first, and keeps only the rest as registry money', () => {
    expect(reconcileRegistryChange(150_000, pending)).toEqual({
      confirmations: [{ paymentId: 1, amount: 100_000 }, { paymentId: 2, amount: 50_000 }],
      registryOnlyDelta: 0,
      stillUnconfirmed: 0,
    });
    expect(reconcileRegistryChange(180_000, pending)).toMatchObject({ registryOnlyDelta: 30_000, stillUnconfirmed: 0 });
  });

  it('a smaller rise confirms part, oldest first; the rest still counts on top of the registry', () => {
    const result = reconcileRegistryChange(120_000, pending);
    expect(result).toEqual({ confirmations: [{ paymentId: 1, amount: 100_000 }, { paymentId: 2, amount: 20_000 }], registryOnlyDelta: 0, stillUnconfirmed: 30_000 });
    expect(effectivePaidTotal(1_000_000 + 120_000, result.stillUnconfirmed)).toBe(1_150_000);
  });

  it('no rise, or a fall (a correction), confirms nothing', () => {
    expect(reconcileRegistryChange(0, pending)).toEqual({ confirmations: [], registryOnlyDelta: 0, stillUnconfirmed: 150_000 });
    expect(reconcileRegistryChange(-10_000, pending)).toEqual({ confirmations: [], registryOnlyDelta: -10_000, stillUnconfirmed: 150_000 });
  });

  it('never counts anything twice: registry total + unconfirmed never exceeds what was really paid', () => {
    // Really paid: registry 1,000 baht before, we recorded 1,500 since, the borrower also transferred 700 we never saw.
    const truth = 100_000 + 150_000 + 70_000;
    for (const registrySeen of [0, 50_000, 100_000, 150_000, 220_000]) {
      const r = reconcileRegistryChange(registrySeen, pending);
      const shown = effectivePaidTotal(100_000 + registrySeen, r.stillUnconfirmed);
      expect(shown).toBeLessThanOrEqual(truth);
      expect(shown).toBeGreaterThanOrEqual(100_000 + 150_000);
    }
    expect(effectivePaidTotal(100_000 + 220_000, reconcileRegistryChange(220_000, pending).stillUnconfirmed)).toBe(truth);
  });
});

describe('the working week', () => {
  it('runs Monday to Sunday', () => {
    expect(workWeek('2026-11-25')).toEqual({ start: '2026-11-23', end: '2026-11-29' });
    expect(workWeek('2026-11-29')).toEqual({ start: '2026-11-23', end: '2026-11-29' });
  });

  it('knows which of 30, 60 and 90 days past due a debtor reaches this week', () => {
    const week = workWeek('2026-11-23');
    expect(thresholdsCrossedDuring('2026-10-24', week)).toEqual([30]); // day 30 is 23 Nov
    expect(thresholdsCrossedDuring('2026-08-31', week)).toEqual([90]); // day 90 is 29 Nov
    expect(thresholdsCrossedDuring('2026-10-23', week)).toEqual([]); // day 30 was 22 Nov
  });
});

describe('small rules', () => {
  it('lets the author edit a follow-up for 24 hours, nobody else', () => {
    const followUp = { officerId: 7, createdAt: new Date('2026-11-23T03:00:00Z') };
    expect(canEditFollowUp(followUp, { officerId: 7 }, new Date('2026-11-24T02:59:00Z'))).toBe(true);
    expect(canEditFollowUp(followUp, { officerId: 7 }, new Date('2026-11-24T03:00:00Z'))).toBe(false);
    expect(canEditFollowUp(followUp, { officerId: 8 }, new Date('2026-11-23T03:01:00Z'))).toBe(false);
  });

  it('keeps dates of contacts and payments in the past, within a limit', () => {
    expect(isWithinBackdate('2026-11-23', '2026-11-23', 60)).toBe(true);
    expect(isWithinBackdate('2026-11-24', '2026-11-23', 60)).toBe(false);
    expect(isWithinBackdate('2026-09-23', '2026-11-23', 60)).toBe(false);
  });

  it('reads receipt numbers as printed and masks contract numbers on slips', () => {
    expect(normalizeReceiptNo('  rc  000123 ')).toBe('RC000123');
    expect(normalizeReceiptNo('รบ.๑๒๓/๒๕๖๙')).toBe(normalizeReceiptNo('รบ.123/2569'));
    expect(normalizeReceiptNo('รบ. ๑๒๓ / ๒๕๖๙')).toBe('รบ.123/2569');
    expect(maskContractNo('TRT-2566-0123')).toBe('TRT-xxxx-0123');
    expect(maskContractNo('ตร12345678')).toBe('ตรxxxx5678');
    expect(maskContractNo('WS-6')).toBe('WS-6');
  });
});
