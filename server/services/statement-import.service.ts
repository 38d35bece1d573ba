// Bank and counter statements (CSV: paid_on,amount,ref1,ref2,reference): every row checked first — any malformed
// row and nothing is written, every bad row listed — then each line matched to a loan by Ref1, then by contract
// number, and recorded as a payment exactly as an officer's (recordPaymentInTransaction). A statement's own
// reference makes every line idempotent: a second import of the same file records nothing. Lines that match no
// loan, several, or one the importer may not touch, go to an exceptions list for an officer.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.ts';
import { recordAudit } from '../db/repos/audit.repo.ts';
import { findRecordedPaymentByIdempotencyKey } from '../db/repos/recorded-payments.repo.ts';
import { findLoanForViewer } from '../db/repos/debtor-scope.repo.ts';
import { allContractNumbers, findPayableLoan, loansByPaymentRef1 } from '../db/repos/payment-refs.repo.ts';
import { lockStatementLine, markStatementLineDismissed, markStatementLineResolved, openExceptionsForViewer, statementLineState, insertStatementImport, insertStatementLine, knownStatementReferences, setStatementImportCounts, setStatementLinePayment, type NewStatementLine } from '../db/repos/statements.repo.ts';
import { DomainError } from '../domain/errors.ts';
import { bangkokDate } from '../domain/local-date.ts';
import { isWithinBackdate, MAX_BACKDATE_DAYS, normalizeReceiptNo } from '../domain/officer-work.ts';
import {
  checkStatementHeader,
  matchStatementRow,
  STATEMENT_COLUMNS,
  validateStatement,
  type LoanCandidate,
  type RawStatementRow,
  type StatementRow,
  type StatementRowError,
} from '../domain/payment-statement.ts';
import { readableRef1 } from '../domain/promptpay.ts';
import { MONEY_THAI } from '../content/money.th.ts';
import { isMentorCaller, type OfficerCaller } from './officer-access.ts';
import type { ExceptionDismissed, StatementPage } from '../contracts/money.ts';
import type { PaymentQrService } from './payment-qr.service.ts';
import { recordPayment, recordPaymentInTransaction } from './recorded-payments.service.ts';
import { CsvFileProblem, csvRecords } from './registry-import.service.ts';
import type { Clock } from './ports.ts';

export interface StatementImportDeps {
  db: Kysely<Database>;
  clock: Clock;
  log: Logger;
  promiseGraceDays: number;
  paymentQr: Pick<PaymentQrService, 'assignRefs'>;
  dispatchSoon?: () => void;
}

export interface StatementException {
  line: number;
  reference: string;
  status: 'unmatched' | 'ambiguous' | 'refused';
  reason: string;
}

export type StatementImportResult =
  | { ok: false; fileProblems: string[]; rowErrors: StatementRowError[] }
  | {
      ok: true;
      importId: number;
      lines: number;
      recorded: number;
      /** Lines whose reference an earlier statement (or the same receipt on the loan) already recorded. */
      alreadyKnown: number;
      /** Lines now on the exceptions list: no loan, several, or one the importer may not touch. */
      unmatched: number;
      exceptions: StatementException[];
    };

export interface StatementImportSource {
  fileName: string;
  /** The province (or higher) officer uploading in the mini-app; absent for the CLI. */
  officer?: OfficerCaller;
}

/** Who may upload a statement in the mini-app: the province, the department, admins. */
export function mayImportStatements(caller: OfficerCaller): boolean {
  return caller.role === 'province' || caller.role === 'department' || caller.role === 'admin';
}

export function createStatementImportService(deps: StatementImportDeps) {
  async function importStatement(text: string | Buffer, source: StatementImportSource): Promise<StatementImportResult> {
    if (source.officer && !mayImportStatements(source.officer)) throw new DomainError('FORBIDDEN', MONEY_THAI.statementUploadRole);
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    const records: Array<{ raw: RawStatementRow; line: number }> = [];
    let header: string[] | undefined;
    try {
      for await (const { record, line } of csvRecords([bytes])) {
        if (!header) {
          header = record.map((column) => column.trim());
          continue;
        }
        const raw: RawStatementRow = {};
        header.forEach((column, i) => {
          if ((STATEMENT_COLUMNS as readonly string[]).includes(column)) raw[column as keyof RawStatementRow] = record[i];
        });
        records.push({ raw, line });
      }
    } catch (error) {
      return { ok: false, fileProblems: [error instanceof CsvFileProblem ? error.message : MONEY_THAI.statementNotCsv], rowErrors: [] };
    }
    if (!header) return { ok: false, fileProblems: [MONEY_THAI.statementEmpty], rowErrors: [] };
    const headerProblems = checkStatementHeader(header);
    if (headerProblems.length > 0) return { ok: false, fileProblems: [MONEY_THAI.statementHeader(headerProblems)], rowErrors: [] };
    const { rows, errors } = validateStatement(records);
    if (errors.length > 0) return { ok: false, fileProblems: [], rowErrors: errors };
    if (rows.length === 0) return { ok: false, fileProblems: [MONEY_THAI.statementEmpty], rowErrors: [] };

    const now = deps.clock.now();
    const today = bangkokDate(now);
    const actor = source.officer ? `officer:${source.officer.id}` : 'cli';
    await deps.paymentQr.assignRefs();
    const known = await knownStatementReferences(deps.db, rows.map((row) => row.reference));
    const fresh = rows.filter((row) => !known.has(row.reference));
    const byRef1 = await loansByPaymentRef1(deps.db, fresh.map((row) => row.ref1));
    const byContract = new Map<string, LoanCandidate[]>();
    if (fresh.length > 0) {
      const wanted = new Set(fresh.map((row) => row.ref1));
      for (const loan of await allContractNumbers(deps.db)) {
        const spelt = readableRef1(loan.contractNo);
        if (spelt && wanted.has(spelt)) byContract.set(spelt, [...(byContract.get(spelt) ?? []), loan]);
      }
    }

    const importId = await insertStatementImport(deps.db, {
      fileName: source.fileName,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      importedBy: source.officer?.id ?? null,
      at: now,
      lineCount: rows.length,
    });
    let recorded = 0;
    let alreadyKnown = rows.length - fresh.length;
    const exceptions: StatementException[] = [];
    const lineOf = (row: StatementRow, status: NewStatementLine['status'], extra: Partial<NewStatementLine> = {}): NewStatementLine => ({
      importId,
      line: row.line,
      reference: row.reference,
      paidOn: row.paidOn,
      amount: row.amount,
      ref1: row.ref1,
      ref2: row.ref2 ?? null,
      status,
      loanId: null,
      reason: null,
      candidateLoanIds: null,
      ...extra,
    });
    const setAside = async (row: StatementRow, status: StatementException['status'], reason: string, extra: Partial<NewStatementLine> = {}) => {
      const id = await insertStatementLine(deps.db, lineOf(row, status, { ...extra, reason }));
      if (id === undefined) alreadyKnown += 1;
      else exceptions.push({ line: row.line, reference: row.reference, status, reason });
    };

    for (const row of fresh) {
      const found = byRef1.get(row.ref1);
      const match = matchStatementRow(row, { byRef1: found ? [found] : [], byContractNo: byContract.get(row.ref1) ?? [] });
      if (match.status === 'unmatched') {
        await setAside(row, 'unmatched', match.reason);
        continue;
      }
      if (match.status === 'ambiguous') {
        await setAside(row, 'ambiguous', match.reason, { candidateLoanIds: match.loanIds });
        continue;
      }
      // An officer's upload records only loans of their area; the CLI (an operator) records any.
      const visible = source.officer ? (await findLoanForViewer(deps.db, source.officer.viewer, match.contractNo)).loan : await findPayableLoan(deps.db, match.loanId);
      if (!visible) {
        // Kept with the importer, not put in front of the contract's own officers: the money is in the importer's
        // account, and a file must not plant lines in another province's queue. The contract is not named either.
        await setAside(row, 'refused', MONEY_THAI.statementOutsideArea);
        continue;
      }
      if (!isWithinBackdate(row.paidOn, today, MAX_BACKDATE_DAYS.payment)) {
        await setAside(row, 'refused', `${match.contractNo}: ${MONEY_THAI.statementTooOld}`, { loanId: match.loanId });
        continue;
      }
      try {
        const outcome = await deps.db.transaction().execute(async (trx) => {
          const lineId = await insertStatementLine(trx, lineOf(row, 'recorded', { loanId: visible.id, reason: match.reason }));
          if (lineId === undefined) return 'known' as const;
          const result = await recordPaymentInTransaction(trx, deps, {
            loan: visible,
            amount: row.amount,
            paidOn: row.paidOn,
            channel: 'transfer',
            receiptNo: normalizeReceiptNo(row.reference),
            recordedBy: source.officer?.id ?? null,
            idempotencyKey: null,
            statementImportId: importId,
            note: `statement ${source.fileName} line ${row.line}`,
            actor,
            now,
            today,
          });
          await setStatementLinePayment(trx, lineId, result.paymentId!);
          return result.replayed ? ('known' as const) : ('recorded' as const);
        });
        if (outcome === 'recorded') recorded += 1;
        else alreadyKnown += 1;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        // More than is owed, or the same receipt with another amount: an officer looks at it.
        const reason =
          error.code === 'CONFLICT' ? MONEY_THAI.statementReceiptTaken(match.contractNo) : error.code === 'VALIDATION' ? `${match.contractNo}: ${error.userMessage}` : error.userMessage;
        await setAside(row, 'refused', reason, { loanId: match.loanId });
      }
    }

    await setStatementImportCounts(deps.db, importId, { recorded, known: alreadyKnown, exceptions: exceptions.length });
    await recordAudit(deps.db, {
      actor,
      action: 'statement.import',
      subject: `statement:${importId}`,
      details: { fileName: source.fileName, lines: rows.length, recorded, alreadyKnown, exceptions: exceptions.length },
      at: now,
    });
    if (recorded > 0) deps.dispatchSoon?.();
    return { ok: true, importId, lines: rows.length, recorded, alreadyKnown, unmatched: exceptions.length, exceptions };
  }

  /** The open exceptions the caller may see (scoped in SQL), and whether they may upload; audited. */
  async function statementPage(caller: OfficerCaller): Promise<StatementPage> {
    if (isMentorCaller(caller)) throw new DomainError('FORBIDDEN', MONEY_THAI.statementUploadRole);
    const rows = await openExceptionsForViewer(deps.db, caller.viewer, 200);
    await recordAudit(deps.db, {
      actor: `officer:${caller.id}`,
      action: 'statement.exceptions',
      details: { lineIds: rows.map((row) => row.id), borrowerIds: [...new Set(rows.flatMap((row) => (row.borrowerId === null ? [] : [row.borrowerId])))] },
      at: deps.clock.now(),
    });
    return {
      canImport: mayImportStatements(caller),
      exceptions: rows.map((row) => ({
        id: row.id,
        fileName: row.fileName,
        importedAt: row.importedAt.toISOString(),
        line: row.line,
        reference: row.reference,
        paidOn: row.paidOn,
        amountSatang: row.amount,
        ref1: row.ref1,
        ref2: row.ref2,
        status: row.status as 'unmatched' | 'ambiguous' | 'refused',
        reason: row.reason ?? '',
        contractNo: row.contractNo,
        candidateContractNos: row.candidateContractNos,
      })),
    };
  }

  /** A line that is not open to the caller: missing (404), outside their area (403), or settled — what became of it. */
  async function settledLine(lineId: number) {
    const state = await statementLineState(deps.db, lineId);
    if (!state) throw new DomainError('NOT_FOUND', MONEY_THAI.exceptionNotFound);
    if (!state.settled) throw new DomainError('FORBIDDEN', MONEY_THAI.exceptionOutsideArea);
    return state;
  }
  const settledConflict = (state: { dismissalReason: string | null }) =>
    new DomainError('CONFLICT', state.dismissalReason ? MONEY_THAI.exceptionDismissed : MONEY_THAI.exceptionResolved);

  /**
   * An officer records an exception as a payment of a contract they may see (the line's amount, date, and its
   * reference as the receipt); the line is marked resolved in the same transaction. Again: the same payment.
   */
  async function recordException(caller: OfficerCaller, lineId: number, contractNo: string): Promise<{ id: number; paymentId: number; replayed: boolean }> {
    if (isMentorCaller(caller)) throw new DomainError('FORBIDDEN', MONEY_THAI.statementUploadRole);
    const [line] = await openExceptionsForViewer(deps.db, caller.viewer, 1, lineId);
    if (!line) {
      const state = await settledLine(lineId);
      // Recorded already: the same officer asking again (a lost answer) gets the same payment; anyone else 409.
      const mine = state.resolvedPaymentId === null ? undefined : await findRecordedPaymentByIdempotencyKey(deps.db, caller.id, `statement-line:${lineId}`);
      if (mine && mine.id === state.resolvedPaymentId) return { id: lineId, paymentId: mine.id, replayed: true };
      throw settledConflict(state);
    }
    const result = await recordPayment(
      deps,
      caller,
      `statement-line:${lineId}`,
      () => ({ contractNo, amountSatang: line.amount, paidOn: line.paidOn, channel: 'transfer', receiptNo: line.reference }),
      {
        alsoInTransaction: async (trx, paymentId) => {
          const locked = await lockStatementLine(trx, lineId);
          if (locked?.resolvedPaymentId === paymentId) return;
          if (locked?.resolvedAt) throw new DomainError('CONFLICT', MONEY_THAI.exceptionResolved);
          await markStatementLineResolved(trx, lineId, { paymentId, officerId: caller.id, at: deps.clock.now() });
          await recordAudit(trx, { actor: `officer:${caller.id}`, action: 'statement.resolve', subject: `statement-line:${lineId}`, details: { paymentId, contractNo }, at: deps.clock.now() });
        },
      },
    );
    return { id: lineId, paymentId: result.id, replayed: result.replayed };
  }

  /**
   * An officer closes an exception that is not the fund's money, with a reason; it leaves the list, and the audit
   * trail keeps who, when and why. Again by the same officer (a lost answer, a double tap): the same answer.
   */
  async function dismissException(caller: OfficerCaller, lineId: number, reason: string): Promise<ExceptionDismissed> {
    if (isMentorCaller(caller)) throw new DomainError('FORBIDDEN', MONEY_THAI.statementUploadRole);
    const settledAnswer = async (): Promise<ExceptionDismissed> => {
      const state = await settledLine(lineId);
      if (state.dismissalReason !== null && state.resolvedBy === caller.id) return { id: lineId, replayed: true };
      throw settledConflict(state);
    };
    const [line] = await openExceptionsForViewer(deps.db, caller.viewer, 1, lineId);
    if (!line) return settledAnswer();
    const dismissed = await deps.db.transaction().execute(async (trx) => {
      const locked = await lockStatementLine(trx, lineId);
      if (!locked || locked.resolvedAt) return false;
      const at = deps.clock.now();
      await markStatementLineDismissed(trx, lineId, { reason, officerId: caller.id, at });
      await recordAudit(trx, {
        actor: `officer:${caller.id}`,
        action: 'statement.dismiss',
        subject: `statement-line:${lineId}`,
        details: { reason, reference: line.reference, amountSatang: line.amount },
        at,
      });
      return true;
    });
    // Someone settled it between the look and the lock: say what happened to it.
    return dismissed ? { id: lineId, replayed: false } : settledAnswer();
  }

  return { importStatement, statementPage, recordException, dismissException };
}

export type StatementImportService = ReturnType<typeof createStatementImportService>;
