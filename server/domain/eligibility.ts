// Who may apply for a relief measure: the rules are data (relief_measures.eligibility), evaluated here against
// one loan's facts. Every "no" comes with a reason in plain Thai, so the borrower knows why.
import { DEBTOR_STATUSES, type DebtorStatus } from './debtor-status.ts';
import type { Satang } from './money.ts';

export interface EligibilityRules {
  /** The loan's debtor status must be one of these. */
  statuses?: DebtorStatus[];
  /** Something must still be owed on the loan. */
  requiresOutstanding?: boolean;
  /** A loan already in an active measure may not join another. */
  excludesActiveMeasure?: boolean;
  /** The borrower must have at least this many loans with money still owed (consolidation). */
  minLoans?: number;
  /** The loan must be overdue by at least this many days. */
  minDaysPastDue?: number;
}

const KNOWN_RULES = new Set(['statuses', 'requiresOutstanding', 'excludesActiveMeasure', 'minLoans', 'minDaysPastDue']);

export interface EligibilityFacts {
  loanStatus: DebtorStatus;
  outstandingTotal: Satang;
  daysPastDue: number;
  /** Title of the measure the loan is in today, if any. */
  activeMeasureTitle: string | null;
  /** The borrower's loans that still have money owed. */
  openLoanCount: number;
  /**
   * An application for this loan already under review: for this measure, or another — measures do not stack, and
   * approving one would leave the other to be refused after officers had spent their time on it.
   */
  openApplication: { id: number; measureTitle: string; sameMeasure: boolean } | null;
}

export interface EligibilityVerdict {
  eligible: boolean;
  /** Thai, one sentence each; empty when eligible. */
  reasons: string[];
}

const CASE_BY_CASE = 'มาตรการนี้ต้องให้เจ้าหน้าที่พิจารณาเป็นรายกรณีค่ะ กรุณาติดต่อสำนักงานพัฒนาชุมชนอำเภอ';

/**
 * Reads the rules from their JSON. A rule this code does not know makes the measure case-by-case
 * (fail closed): a new rule in the catalogue must never let people in by being ignored.
 */
export function parseEligibilityRules(json: unknown): { rules: EligibilityRules } | { unknown: string[] } {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { unknown: ['(not an object)'] };
  const record = json as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !KNOWN_RULES.has(key));
  const rules: EligibilityRules = {};
  if (record.statuses !== undefined) {
    if (!Array.isArray(record.statuses) || !record.statuses.every((s) => (DEBTOR_STATUSES as readonly unknown[]).includes(s))) unknown.push('statuses');
    else rules.statuses = record.statuses as DebtorStatus[];
  }
  for (const flag of ['requiresOutstanding', 'excludesActiveMeasure'] as const) {
    if (record[flag] === undefined) continue;
    if (typeof record[flag] !== 'boolean') unknown.push(flag);
    else rules[flag] = record[flag] as boolean;
  }
  for (const count of ['minLoans', 'minDaysPastDue'] as const) {
    if (record[count] === undefined) continue;
    if (typeof record[count] !== 'number' || !Number.isInteger(record[count]) || (record[count] as number) < 0) unknown.push(count);
    else rules[count] = record[count] as number;
  }
  return unknown.length > 0 ? { unknown } : { rules };
}

function statusReason(status: DebtorStatus, allowed: readonly DebtorStatus[], activeMeasureTitle: string | null): string {
  switch (status) {
    case 'litigation':
      return 'สัญญานี้อยู่ระหว่างดำเนินคดี จึงสมัครทางแอปไม่ได้ค่ะ กรุณาติดต่อเจ้าหน้าที่เพื่อหาทางช่วยเหลือ';
    case 'in_measure':
      return activeMeasureTitle ? `สัญญานี้เข้าร่วมมาตรการ "${activeMeasureTitle}" อยู่แล้วค่ะ` : 'สัญญานี้เข้าร่วมมาตรการอยู่แล้วค่ะ';
    case 'normal':
      return allowed.includes('defaulted')
        ? 'มาตรการนี้สำหรับผู้ที่มียอดค้างชำระค่ะ สัญญานี้ไม่มียอดค้างชำระ ขอบคุณที่ชำระนะคะ'
        : 'มาตรการนี้ไม่เปิดรับสัญญาที่ชำระตามปกติค่ะ';
    case 'defaulted':
      return 'มาตรการนี้สำหรับผู้ที่ชำระตรงตามกำหนดค่ะ สัญญานี้มียอดค้างชำระ ลองดูมาตรการอื่นที่เหมาะกว่านะคะ';
  }
}

export function evaluateEligibility(rulesJson: unknown, facts: EligibilityFacts): EligibilityVerdict {
  const parsed = parseEligibilityRules(rulesJson);
  if ('unknown' in parsed) return { eligible: false, reasons: [CASE_BY_CASE] };
  const { rules } = parsed;
  const reasons: string[] = [];

  const statusRefused = rules.statuses !== undefined && !rules.statuses.includes(facts.loanStatus);
  if (statusRefused) {
    reasons.push(statusReason(facts.loanStatus, rules.statuses!, facts.activeMeasureTitle));
  } else if (rules.excludesActiveMeasure && facts.activeMeasureTitle !== null) {
    reasons.push(statusReason('in_measure', [], facts.activeMeasureTitle));
  }
  if (rules.requiresOutstanding && facts.outstandingTotal <= 0) reasons.push('สัญญานี้ชำระครบแล้ว ไม่มียอดหนี้คงเหลือค่ะ');
  if (rules.minLoans !== undefined && facts.openLoanCount < rules.minLoans) {
    reasons.push(`มาตรการนี้สำหรับผู้ที่มีเงินกู้กับกองทุนตั้งแต่ ${rules.minLoans} สัญญาขึ้นไปค่ะ`);
  }
  if (rules.minDaysPastDue !== undefined && facts.daysPastDue < rules.minDaysPastDue && !statusRefused) {
    reasons.push(`มาตรการนี้สำหรับผู้ที่ค้างชำระตั้งแต่ ${rules.minDaysPastDue} วันขึ้นไปค่ะ`);
  }
  if (facts.openApplication?.sameMeasure) reasons.push('ท่านส่งคำขอเข้าร่วมมาตรการนี้สำหรับสัญญานี้แล้ว และกำลังอยู่ระหว่างพิจารณาค่ะ');
  else if (facts.openApplication) {
    reasons.push(
      `สัญญานี้มีคำขอเลขที่ ${facts.openApplication.id} เข้าร่วมมาตรการ "${facts.openApplication.measureTitle}" อยู่ระหว่างพิจารณาแล้วค่ะ ` +
        'แต่ละสัญญาเข้าร่วมได้ครั้งละหนึ่งมาตรการ หากต้องการเปลี่ยนมาตรการ ถอนคำขอเดิมที่หน้า "คำขอของฉัน" ก่อนนะคะ',
    );
  }

  const unique = [...new Set(reasons)];
  return { eligible: unique.length === 0, reasons: unique };
}
