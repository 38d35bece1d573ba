// What a relief measure does to a loan's schedule. A measure's `effect` (data, in relief_measures) is applied to
// the remaining schedule: installments already (partly) paid are kept with exactly what was paid on them, and the
// unpaid rest is replaced by new installments. The same function gives the borrower's preview and the approval.
//
// Method, the same as the registry's (README): equal principal per installment, the satang remainder on the
// last, interest on the declining balance per period, rounded to the satang. Interest that had already fallen
// due and was not paid is not forgiven (except by a measure that says so): it is spread over the new
// installments that repay principal, interest-free. Re-applying the loan's paid total oldest-first
// (applyPaidTotal) to the result reproduces it, so a later registry import stays valid.
import { addDays, addMonths, dayOfMonth, formatThaiDate, type LocalDate } from './local-date.ts';
import { divideRounded, formatSatang, type Satang } from './money.ts';
import { installmentTotal, MONTHS_PER_PERIOD, type Installment, type RepaymentFrequency } from './loan-schedule.ts';

export type MeasureEffect =
  | { type: 'none' }
  | { type: 'extend_term'; extraMonths: number }
  | { type: 'reduce_rate'; annualInterestBp: number }
  | { type: 'pause_principal'; months: number }
  | { type: 'suspend'; months: number; paymentsGoToPrincipal: boolean }
  | { type: 'consolidate'; installmentMonths: number }
  | { type: 'refinance'; installmentMonths: number; annualInterestBp: number };

const positiveInt = (value: unknown, max: number): value is number => typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= max;
const rateBp = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 10_000;

/** Reads an effect from its JSON; undefined when the shape is not one this code knows how to apply. */
export function parseMeasureEffect(json: unknown): MeasureEffect | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const e = json as Record<string, unknown>;
  switch (e.type) {
    case 'none':
      return { type: 'none' };
    case 'extend_term':
      return positiveInt(e.extraMonths, 240) ? { type: 'extend_term', extraMonths: e.extraMonths } : undefined;
    case 'reduce_rate':
      return rateBp(e.annualInterestBp) ? { type: 'reduce_rate', annualInterestBp: e.annualInterestBp } : undefined;
    case 'pause_principal':
      return positiveInt(e.months, 60) ? { type: 'pause_principal', months: e.months } : undefined;
    case 'suspend':
      return positiveInt(e.months, 60) ? { type: 'suspend', months: e.months, paymentsGoToPrincipal: e.paymentsGoToPrincipal === true } : undefined;
    case 'consolidate':
      return positiveInt(e.installmentMonths, 240) ? { type: 'consolidate', installmentMonths: e.installmentMonths } : undefined;
    case 'refinance':
      return positiveInt(e.installmentMonths, 240) && rateBp(e.annualInterestBp)
        ? { type: 'refinance', installmentMonths: e.installmentMonths, annualInterestBp: e.annualInterestBp }
        : undefined;
    default:
      return undefined;
  }
}

export function effectChangesSchedule(effect: MeasureEffect): boolean {
  return effect.type !== 'none';
}

export interface RestructuringLoan {
  principal: Satang;
  annualInterestBp: number;
  frequency: RepaymentFrequency;
  /** The registry's first due date: its day of month is kept for every new due date. */
  firstDueOn: LocalDate;
}

export interface RestructuringInput {
  loan: RestructuringLoan;
  /** The loan's current schedule with what was paid on each installment. */
  installments: readonly Installment[];
  /** The day the measure starts (the approval day, or today for a preview). */
  today: LocalDate;
  effect: MeasureEffect;
  /** Consolidation: every loan of the borrower starts its new installments on the same day. */
  firstNewDueOn?: LocalDate;
}

/** The figures a borrower compares: what each installment costs and when the debt ends. */
export interface ScheduleFigures {
  /** A regular installment (principal and interest); 0 when nothing is left to pay. */
  regularInstallment: Satang;
  remainingInstallments: number;
  firstDueOn: LocalDate | null;
  lastDueOn: LocalDate | null;
  /** Everything still to pay, principal and interest. */
  remainingTotal: Satang;
  annualInterestBp: number;
}

export interface RestructuringResult {
  changesSchedule: boolean;
  /** The whole new schedule: kept installments first (seq 1…), then the new ones; paid amounts included. */
  schedule: Installment[];
  keptCount: number;
  before: ScheduleFigures;
  after: ScheduleFigures;
  /** Principal paused or the whole debt suspended: how long, and what is paid meanwhile. */
  pause: { months: number; until: LocalDate; paymentDuring: Satang } | null;
  /** Interest already due and unpaid, carried into the new installments. */
  carriedInterest: Satang;
  /**
   * The last day the loan counts as in the measure (loan_measures.ends_on): the end of the pause or suspension
   * for measures measured in months, the last new installment for other schedule changes, and open-ended (null)
   * for a measure that leaves the schedule alone (officers end it).
   */
  measureEndsOn: LocalDate | null;
}

/** The figures of a schedule from `today` on. */
export function scheduleFigures(installments: readonly Installment[], annualInterestBp: number, today: LocalDate): ScheduleFigures {
  const unpaid = installments.filter((i) => i.paid < installmentTotal(i));
  const upcoming = unpaid.filter((i) => i.dueOn >= today && i.principal > 0);
  const regular = upcoming[0] ?? unpaid[unpaid.length - 1];
  return {
    regularInstallment: regular ? installmentTotal(regular) - regular.paid : 0,
    remainingInstallments: unpaid.length,
    firstDueOn: unpaid[0]?.dueOn ?? null,
    lastDueOn: unpaid[unpaid.length - 1]?.dueOn ?? null,
    remainingTotal: unpaid.reduce((sum, i) => sum + installmentTotal(i) - i.paid, 0),
    annualInterestBp,
  };
}

/** The first date of a cadence (every `stepMonths`, on `anchorDay`, counted from `origin`) strictly after `after`. */
export function nextCadenceDate(origin: LocalDate, stepMonths: number, anchorDay: number, after: LocalDate): LocalDate {
  // Jump close to `after`, then walk: whole years of months at most a few steps.
  const monthsApart = (Number(after.slice(0, 4)) - Number(origin.slice(0, 4))) * 12 + (Number(after.slice(5, 7)) - Number(origin.slice(5, 7)));
  let k = Math.max(0, Math.floor(monthsApart / stepMonths) - 1);
  for (;;) {
    const candidate = addMonths(origin, k * stepMonths, anchorDay);
    if (candidate > after) return candidate;
    k += 1;
  }
}

function periodsFor(months: number, frequency: RepaymentFrequency): number {
  return Math.ceil(months / MONTHS_PER_PERIOD[frequency]);
}

export function restructureSchedule(input: RestructuringInput): RestructuringResult {
  const { loan, today, effect } = input;
  const installments = [...input.installments].sort((a, b) => a.seq - b.seq);
  const before = scheduleFigures(installments, loan.annualInterestBp, today);
  const unchanged = (measureEndsOn: LocalDate | null): RestructuringResult => ({
    changesSchedule: false,
    schedule: installments.map((i) => ({ ...i })),
    keptCount: installments.length,
    before,
    after: before,
    pause: null,
    carriedInterest: 0,
    measureEndsOn,
  });
  if (effect.type === 'none') return unchanged(null);

  // What stays: each installment with money on it, cut down to exactly what was paid (interest first).
  const kept: Installment[] = [];
  let principalScheduled = 0;
  let principalPaid = 0;
  let carriedInterest = 0;
  for (const installment of installments) {
    const interestPaid = Math.min(installment.interest, installment.paid);
    const principalPaidHere = installment.paid - interestPaid;
    principalScheduled += installment.principal;
    principalPaid += principalPaidHere;
    if (installment.paid > 0) kept.push({ seq: 0, dueOn: installment.dueOn, principal: principalPaidHere, interest: interestPaid, paid: installment.paid });
    if (installment.dueOn <= today) carriedInterest += installment.interest - interestPaid;
  }
  const owed = principalScheduled - principalPaid;
  if (owed <= 0 && carriedInterest <= 0) return unchanged(null);

  const remainingSlots = Math.max(1, installments.filter((i) => i.dueOn > today).length);
  const anchorDay = dayOfMonth(loan.firstDueOn);
  let frequency: RepaymentFrequency = loan.frequency;
  let rate = loan.annualInterestBp;
  let pausePeriods = 0;
  let count = remainingSlots;
  let startAfter = today;
  let measureEndsOn: LocalDate | null = null;
  let pauseMonths = 0;
  let suspended = false;

  switch (effect.type) {
    case 'extend_term':
      count = remainingSlots + periodsFor(effect.extraMonths, frequency);
      break;
    case 'reduce_rate':
      rate = Math.min(rate, effect.annualInterestBp);
      break;
    case 'pause_principal':
      pausePeriods = periodsFor(effect.months, frequency);
      pauseMonths = effect.months;
      measureEndsOn = addDays(addMonths(today, effect.months), -1);
      break;
    case 'suspend':
      // Nothing falls due and no interest runs during the suspension; payments made meanwhile still count.
      startAfter = addDays(addMonths(today, effect.months), -1);
      pauseMonths = effect.months;
      suspended = true;
      measureEndsOn = startAfter;
      break;
    case 'consolidate':
      frequency = 'monthly';
      count = effect.installmentMonths;
      break;
    case 'refinance':
      frequency = 'monthly';
      count = effect.installmentMonths;
      rate = effect.annualInterestBp;
      break;
  }

  // Installments already paid ahead stay where they are; the new ones begin after them.
  const lastKeptDueOn = kept.reduce<LocalDate>((latest, i) => (i.dueOn > latest ? i.dueOn : latest), startAfter);
  startAfter = lastKeptDueOn;

  const stepMonths = MONTHS_PER_PERIOD[frequency];
  const periodsPerYear = 12 / stepMonths;
  const firstNewDueOn = input.firstNewDueOn ?? nextCadenceDate(loan.firstDueOn, stepMonths, anchorDay, startAfter);
  const newDueOn = (index: number) => addMonths(firstNewDueOn, index * stepMonths, input.firstNewDueOn ? dayOfMonth(input.firstNewDueOn) : anchorDay);
  const interestOn = (balance: Satang) => divideRounded(balance * rate, 10_000 * periodsPerYear);

  const fresh: Installment[] = [];
  let balance = owed;
  for (let p = 0; p < pausePeriods; p++) fresh.push({ seq: 0, dueOn: newDueOn(p), principal: 0, interest: interestOn(balance), paid: 0 });
  const basePrincipal = Math.floor(owed / count);
  const baseCarry = Math.floor(carriedInterest / count);
  for (let n = 0; n < count; n++) {
    const last = n === count - 1;
    const principal = last ? balance : basePrincipal;
    const carry = last ? carriedInterest - baseCarry * (count - 1) : baseCarry;
    fresh.push({ seq: 0, dueOn: newDueOn(pausePeriods + n), principal, interest: interestOn(balance) + carry, paid: 0 });
    balance -= principal;
  }

  const schedule = [...kept, ...fresh].map((installment, index) => ({ ...installment, seq: index + 1 }));
  const after = scheduleFigures(fresh, rate, today);
  if (pausePeriods > 0) {
    // The regular installment is the one after the pause, not an interest-only one.
    const firstFull = fresh[pausePeriods]!;
    after.regularInstallment = installmentTotal(firstFull);
  }
  const lastNew = fresh[fresh.length - 1]!;
  return {
    changesSchedule: true,
    schedule,
    keptCount: kept.length,
    before,
    after,
    pause: pauseMonths > 0 ? { months: pauseMonths, until: addDays(addMonths(today, pauseMonths), -1), paymentDuring: suspended ? 0 : fresh[0]!.interest } : null,
    carriedInterest,
    measureEndsOn: measureEndsOn ?? lastNew.dueOn,
  };
}

/** Adds up several loans' figures (consolidation shows the borrower one monthly amount). */
export function combineFigures(figures: readonly ScheduleFigures[]): ScheduleFigures {
  const dates = (pick: (f: ScheduleFigures) => LocalDate | null) => figures.map(pick).filter((d): d is LocalDate => d !== null).sort();
  const firsts = dates((f) => f.firstDueOn);
  const lasts = dates((f) => f.lastDueOn);
  return {
    regularInstallment: figures.reduce((sum, f) => sum + f.regularInstallment, 0),
    remainingInstallments: Math.max(0, ...figures.map((f) => f.remainingInstallments)),
    firstDueOn: firsts[0] ?? null,
    lastDueOn: lasts[lasts.length - 1] ?? null,
    remainingTotal: figures.reduce((sum, f) => sum + f.remainingTotal, 0),
    annualInterestBp: figures[0]?.annualInterestBp ?? 0,
  };
}

function percent(bp: number): string {
  return `${(bp / 100).toLocaleString('en-US', { maximumFractionDigits: 2 })}%`;
}

/** The preview in plain Thai, a sentence a line. */
export function explainRestructuring(result: Pick<RestructuringResult, 'changesSchedule' | 'before' | 'after' | 'pause' | 'carriedInterest'>, effect: MeasureEffect): string[] {
  const { before, after, pause } = result;
  if (!result.changesSchedule) {
    if (effect.type === 'none') return ['มาตรการนี้ไม่เปลี่ยนตารางผ่อนของท่าน ค่างวดและวันครบกำหนดยังเหมือนเดิมค่ะ'];
    return ['สัญญานี้ไม่มียอดหนี้คงเหลือให้ปรับค่ะ'];
  }
  const lines: string[] = [];
  if (effect.type === 'suspend' && pause) {
    lines.push(`พักหนี้ ${pause.months} เดือน ถึงวันที่ ${formatThaiDate(pause.until)} ช่วงนี้ไม่มีค่างวดและไม่คิดดอกเบี้ยเพิ่ม`);
    if (effect.paymentsGoToPrincipal) lines.push('ระหว่างพัก ถ้ายังพอจ่ายได้ ขอเชิญจ่ายเท่าที่ไหว ทุกบาทช่วยให้หนี้ลดลงจริง');
  }
  if (effect.type === 'pause_principal' && pause) {
    lines.push(`${pause.months} เดือนแรก จ่ายเฉพาะดอกเบี้ย งวดละประมาณ ${formatSatang(pause.paymentDuring)} ถึงวันที่ ${formatThaiDate(pause.until)}`);
  }
  if (after.annualInterestBp !== before.annualInterestBp) {
    lines.push(`อัตราดอกเบี้ยเปลี่ยนจาก ${percent(before.annualInterestBp)} เป็น ${percent(after.annualInterestBp)} ต่อปี`);
  }
  lines.push(`ค่างวดปกติ ${formatSatang(after.regularInstallment)} (เดิม ${formatSatang(before.regularInstallment)})`);
  // A higher installment surprises her after "a lighter load": say why, and what lowers it.
  if (after.regularInstallment > before.regularInstallment) {
    lines.push(
      'ค่างวดใหม่สูงกว่าเดิม เพราะยอดที่ค้างชำระอยู่ตอนนี้ถูกเฉลี่ยเข้าไปในงวดที่เหลือ' +
        (effect.type === 'suspend' && effect.paymentsGoToPrincipal ? ' ถ้าระหว่างพักจ่ายได้บ้าง ค่างวดหลังพ้นช่วงพักจะลดลงตามยอดที่จ่าย' : ''),
    );
  }
  if (after.firstDueOn) lines.push(`งวดแรกของตารางใหม่ครบกำหนดวันที่ ${formatThaiDate(after.firstDueOn)}`);
  if (after.lastDueOn) {
    lines.push(`ผ่อนทั้งหมด ${after.remainingInstallments} งวด งวดสุดท้ายวันที่ ${formatThaiDate(after.lastDueOn)}${before.lastDueOn ? ` (เดิม ${formatThaiDate(before.lastDueOn)})` : ''}`);
  }
  lines.push(`ยอดที่ต้องชำระทั้งหมดจากนี้ ${formatSatang(after.remainingTotal)} (เดิม ${formatSatang(before.remainingTotal)})`);
  if (result.carriedInterest > 0) lines.push(`รวมดอกเบี้ยที่ค้างอยู่ ${formatSatang(result.carriedInterest)} ซึ่งเฉลี่ยไปในงวดใหม่ โดยไม่คิดดอกเบี้ยเพิ่ม`);
  // Principal moved to later installments keeps earning the contract's interest until it is paid.
  const added = after.remainingTotal - before.remainingTotal;
  if (added > 0 && after.annualInterestBp > 0 && after.annualInterestBp === before.annualInterestBp) lines.push(`ยอดรวมมากกว่าเดิม ${formatSatang(added)} เป็นดอกเบี้ยตามอัตราเดิมของเงินต้นที่ย้ายไปผ่อนในงวดหลัง`);
  return lines;
}
