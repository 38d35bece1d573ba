// Loads the fund's loan registry (CSV) into the database: every row is checked, and the file is written all or
// nothing. Streamed: the file is read, validated and written a slice of loans at a time inside one transaction, so a
// 100,000-row registry (2.4 million installments) never sits in memory; a bad row stops the writing, every further
// row is still checked (all bad rows are reported), and the transaction is rolled back.
import { parse } from 'csv-parse';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import {
  checkRegistryHeader,
  REGISTRY_COLUMNS,
  validateRegistryRow,
  type RawRegistryRow,
  type RegistryLoan,
  type RegistryRowError,
} from '../domain/loan-registry.ts';
import { generateSchedule, paidPerInstallment, scheduleTotal, type LoanTerms, type ScheduledInstallment } from '../domain/loan-schedule.ts';
import { maskNationalId } from '../domain/thai-national-id.ts';
import type { PersonalDataCipher } from '../security/personal-data-cipher.ts';
import { ensureAreaPaths } from '../db/repos/areas.repo.ts';
import { rehashNationalIds, upsertBorrowers, type BorrowerUpsert } from '../db/repos/borrowers.repo.ts';
import { contractsOfAnonymisedBorrowers } from '../db/repos/retention.repo.ts';
import {
  analyzeLoanTables,
  contractOwnerHashes,
  deleteInstallmentsOf,
  deferDebtorPositions,
  findLoansByContract,
  insertLoanSchedules,
  loadInstallments,
  scheduleText,
  refreshDebtorPositions,
  updateInstallmentPaidColumns,
  upsertLoans,
  vacuumInstallments,
  type ExistingLoan,
  type InstallmentPaidColumns,
  type LoanScheduleRows,
  type ScheduleText,
} from '../db/repos/loans.repo.ts';
import { recordAudit } from '../db/repos/audit.repo.ts';
import { lockScheduleWrites } from '../db/repos/locks.repo.ts';
import { insertRegistryPaymentDeltas } from '../db/repos/payments.repo.ts';
import { isAbortedTransaction } from '../db/database-errors.ts';
import { CSV_FILE_THAI, REGISTRY_IMPORT_THAI } from '../content/registry-import.th.ts';
import { reconcileRegistryImport } from './payment-reconciliation.service.ts';

export type ImportResult =
  | {
      ok: true;
      loansCreated: number;
      loansUpdated: number;
      /** Of the updated: the contracts whose terms, paid total, litigation and borrower the file left as they were. */
      loansUnchanged: number;
      /** Of the updated: the contracts whose paid total rose, and by how much in all (satang). */
      paidTotalRaised: number;
      paidTotalRaisedBy: number;
      /** Of the updated: the contracts whose paid total fell (a correction), and by how much in all (satang). */
      paidTotalLowered: number;
      paidTotalLoweredBy: number;
      borrowersCreated: number;
      borrowersTotal: number;
      installmentsWritten: number;
      /** Closed contracts of borrowers anonymised under the retention rule: left as they are, never re-identified. */
      skippedAnonymised: number;
    }
  | { ok: false; fileProblems: string[]; rowErrors: RegistryRowError[] };

/** Loans validated, then written together (with their schedules): bounds memory on a 100,000-row file. */
const SLICE = 2_500;
/** From this many contracts on, an import refreshes the planner's statistics itself. */
const BULK_LOANS = 5_000;

function sameTerms(before: ExistingLoan, loan: RegistryLoan): boolean {
  return (
    before.principal === loan.principal &&
    before.annualInterestBp === loan.annualInterestBp &&
    before.installmentCount === loan.installmentCount &&
    before.frequency === loan.frequency &&
    before.firstDueOn === loan.firstDueOn
  );
}

export interface RegistryImportDeps {
  db: Kysely<Database>;
  cipher: PersonalDataCipher;
}

/** Raised inside the transaction to roll it back when the file turned out bad. */
class RejectedFile extends Error {
  constructor(readonly result: Extract<ImportResult, { ok: false }>) {
    super('registry file rejected');
  }
}

/**
 * Loans of a registry share their terms by the thousand (a few loan products, a few due days): each distinct
 * schedule is generated once per import.
 */
function scheduleMemo(): (terms: LoanTerms) => ScheduledInstallment[] {
  const known = new Map<string, ScheduledInstallment[]>();
  return (terms) => {
    const key = `${terms.principal}|${terms.annualInterestBp}|${terms.installmentCount}|${terms.frequency}|${terms.firstDueOn}`;
    let schedule = known.get(key);
    if (!schedule) {
      if (known.size >= 20_000) known.clear();
      schedule = generateSchedule(terms);
      known.set(key, schedule);
    }
    return schedule;
  };
}

/** The text a schedule is written as, made once per distinct schedule (schedules come from scheduleMemo). */
function scheduleTextMemo(): (schedule: ScheduledInstallment[]) => ScheduleText {
  const known = new WeakMap<ScheduledInstallment[], ScheduleText>();
  return (schedule) => {
    let text = known.get(schedule);
    if (!text) {
      text = scheduleText(schedule);
      known.set(schedule, text);
    }
    return text;
  };
}

/** A row that is only checked: its contract, and her ID's hashes under every key in use (a rotation may be running). */
interface OwnerCheck {
  line: number;
  contractNo: string;
  hashes: string[];
}

interface ImportState {
  areaIds: Map<string, number>;
  /** Contracts the file gives to another borrower than the one the database has: refused unless allowed. */
  ownerChanges: Array<{ line: number; contractNo: string }>;
  /** Each row's keyed hash of its national ID, from when it was read, so a slice need not compute it again. */
  nationalIdHashes: WeakMap<RegistryLoan, string>;
  /** Every borrower the file names (ids, not national IDs: a 100,000-row file must not keep those in memory). */
  borrowerIds: Set<number>;
  totals: Totals;
  schedules: (terms: LoanTerms) => ScheduledInstallment[];
  scheduleTexts: (schedule: ScheduledInstallment[]) => ScheduleText;
  scheduleTotal: (terms: LoanTerms) => number;
}

interface Totals {
  loansCreated: number;
  loansUpdated: number;
  loansUnchanged: number;
  paidTotalRaised: number;
  paidTotalRaisedBy: number;
  paidTotalLowered: number;
  paidTotalLoweredBy: number;
  borrowersCreated: number;
  installmentsWritten: number;
  skippedAnonymised: number;
}

/** Writes one slice of valid loans: areas, borrowers (the last row of a person wins), loans, schedules, payments. */
async function writeSlice(
  deps: RegistryImportDeps,
  trx: Transaction<Database>,
  loans: RegistryLoan[],
  state: ImportState,
  meta: { fileName: string; at: Date },
  previousTail: Promise<void>,
): Promise<{ tail: Promise<void> }> {
  const { areaIds, borrowerIds, totals } = state;
  // A contract whose borrower was anonymised (retention) stays hers: importing it again would re-create her.
  const anonymised = await contractsOfAnonymisedBorrowers(trx, loans.map((loan) => loan.contractNo));
  if (anonymised.size > 0) {
    totals.skippedAnonymised += anonymised.size;
    loans = loans.filter((loan) => !anonymised.has(loan.contractNo));
    if (loans.length === 0) return { tail: previousTail };
  }
  // Each row's keyed hash of its national ID, computed once when the file was read (each person checked against her
  // other rows there).
  const hashOf = (loan: RegistryLoan) => state.nationalIdHashes.get(loan)!;
  const areaPath = (loan: RegistryLoan) => `${loan.province}/${loan.district}/${loan.subdistrict}`;
  const newPaths = [...new Set(loans.map(areaPath))].filter((path) => !areaIds.has(path));
  if (newPaths.length > 0) for (const [path, id] of await ensureAreaPaths(trx, newPaths)) areaIds.set(path, id);

  const borrowerRows = new Map<string, BorrowerUpsert>();
  for (const loan of loans) {
    const hash = hashOf(loan);
    borrowerRows.set(hash, {
      nationalIdHash: hash,
      nationalIdCipher: borrowerRows.get(hash)?.nationalIdCipher ?? deps.cipher.encrypt(loan.nationalId),
      nationalIdMasked: maskNationalId(loan.nationalId),
      fullName: loan.fullName,
      phone: loan.phone ?? null,
      areaId: areaIds.get(areaPath(loan))!,
    });
  }
  // During a key rotation some borrowers still carry an older key's hash: move them to the current one first, so
  // the upsert finds them instead of making a second borrower.
  if (deps.cipher.keyIds.length > 1) {
    const pairs: Array<{ from: string; to: string }> = [];
    for (const nationalId of new Set(loans.map((loan) => loan.nationalId))) {
      const [current, ...older] = deps.cipher.lookupHashes(nationalId);
      for (const from of older) pairs.push({ from, to: current! });
    }
    await rehashNationalIds(trx, pairs);
  }
  const borrowers = await upsertBorrowers(trx, [...borrowerRows.values()]);
  totals.borrowersCreated += borrowers.created;
  for (const id of borrowers.idsByHash.values()) borrowerIds.add(id);

  const existing = await findLoansByContract(trx, loans.map((loan) => loan.contractNo));
  totals.loansCreated += loans.length - existing.size;
  totals.loansUpdated += existing.size;
  const loanIds = await upsertLoans(
    trx,
    loans.map((loan) => ({
      contractNo: loan.contractNo,
      borrowerId: borrowers.idsByHash.get(hashOf(loan))!,
      principal: loan.principal,
      annualInterestBp: loan.annualInterestBp,
      installmentCount: loan.installmentCount,
      frequency: loan.frequency,
      firstDueOn: loan.firstDueOn,
      paidTotal: loan.paidTotal,
      litigation: loan.litigation,
    })),
  );

  // Payments officers recorded that this registry now counts are confirmed (never counted twice); schedules carry
  // the registry's paid total plus what it has still not counted (see domain/payment-reconciliation.ts).
  const reconciliation = await reconcileRegistryImport(
    trx,
    loans.map((loan) => ({ loanId: loanIds.get(loan.contractNo)!, before: existing.get(loan.contractNo)?.paidTotal ?? 0, after: loan.paidTotal })),
    meta,
  );
  const paidToApply = (loan: RegistryLoan) => reconciliation.effectivePaid(loanIds.get(loan.contractNo)!, loan.paidTotal);

  // Only what changed is rewritten: new terms → the schedule is regenerated; same terms, new paid total → only
  // paid amounts move; a schedule restructured by a relief measure is kept and only has the new paid total applied.
  // New schedules are written as their shared text (no object or array element per installment: 2.4 million of
  // them made the collector the bottleneck).
  const regenerate: number[] = [];
  // Whose position may have moved (the schedule triggers are deferred for the import, migration 0016): a new or
  // rewritten schedule, a new paid total, a change of litigation or of owner (both owners).
  const placed = new Set<number>();
  const fresh: LoanScheduleRows[] = [];
  let freshRows = 0;
  const repaid: InstallmentPaidColumns = { loanId: [], seq: [], paid: [] };
  const restructured: Array<{ loanId: number; paidTotal: number }> = [];
  for (const loan of loans) {
    const loanId = loanIds.get(loan.contractNo)!;
    const before = existing.get(loan.contractNo);
    const owner = borrowers.idsByHash.get(hashOf(loan))!;
    if (before && before.borrowerId !== owner) {
      placed.add(before.borrowerId);
      state.ownerChanges.push({ line: loan.line, contractNo: loan.contractNo });
    }
    if (!before || before.borrowerId !== owner || before.litigation !== loan.litigation || before.paidTotal !== loan.paidTotal || !sameTerms(before, loan)) {
      placed.add(owner);
    } else totals.loansUnchanged += 1;
    if (before && loan.paidTotal > before.paidTotal) {
      totals.paidTotalRaised += 1;
      totals.paidTotalRaisedBy += loan.paidTotal - before.paidTotal;
    } else if (before && loan.paidTotal < before.paidTotal) {
      totals.paidTotalLowered += 1;
      totals.paidTotalLoweredBy += before.paidTotal - loan.paidTotal;
    }
    if (before?.scheduleSource === 'restructured') {
      if (before.paidTotal !== loan.paidTotal) restructured.push({ loanId, paidTotal: paidToApply(loan) });
      continue;
    }
    const schedule = state.schedules(loan);
    const paid = paidPerInstallment(schedule, paidToApply(loan));
    if (before && sameTerms(before, loan)) {
      if (before.paidTotal === loan.paidTotal) continue;
      schedule.forEach((installment, index) => {
        repaid.loanId.push(loanId);
        repaid.seq.push(installment.seq);
        repaid.paid.push(paid[index]!);
      });
      continue;
    }
    if (before) regenerate.push(loanId);
    fresh.push({ loanId, schedule: state.scheduleTexts(schedule), paid });
    freshRows += schedule.length;
  }
  if (restructured.length > 0) {
    const current = await loadInstallments(trx, restructured.map((r) => r.loanId));
    for (const { loanId, paidTotal } of restructured) {
      const schedule = current.get(loanId) ?? [];
      const paid = paidPerInstallment(schedule, paidTotal);
      schedule.forEach((installment, index) => {
        repaid.loanId.push(loanId);
        repaid.seq.push(installment.seq);
        repaid.paid.push(paid[index]!);
      });
    }
  }
  totals.installmentsWritten += freshRows + repaid.loanId.length;
  // The schedules are the heavy part of a slice for the database; they are written while the next slice is read and
  // prepared (its queries queue behind these on the transaction's one connection). Nothing of the next slice
  // depends on them: contract numbers are unique in a file, and a debtor with loans in both slices is placed again
  // after the later one.
  const tail = previousTail.then(async () => {
    await deleteInstallmentsOf(trx, regenerate);
    await insertLoanSchedules(trx, fresh);
    await updateInstallmentPaidColumns(trx, repaid);
    await refreshDebtorPositions(trx, [...placed]);
    // Each change in the registry's paid total that recorded payments do not explain is kept as a payment record
    // (a correction may be negative): the sum of a loan's payment records is always what its schedule carries.
    await insertRegistryPaymentDeltas(trx, reconciliation.registryDeltas, meta);
  });
  tail.catch(() => undefined); // awaited by the import; a failure also fails every later statement of the transaction
  return { tail };
}

/** A file that is not a UTF-8 CSV at all: said in one sentence, as the whole file's problem. */
export class CsvFileProblem extends Error {}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]; // .xlsx (and .ods)
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0]; // .xls
const startsWith = (bytes: Uint8Array, magic: readonly number[]) => magic.every((byte, i) => bytes[i] === byte);

/**
 * The file's text, checked as it is read: an Excel workbook, or bytes that are not UTF-8 (Thai Windows saves "CSV" in
 * TIS-620, which would turn every Thai name into replacement characters), stop it with a CsvFileProblem.
 */
async function* utf8Chunks(source: AsyncIterable<string | Buffer> | Iterable<string | Buffer>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let first = true;
  for await (const chunk of source) {
    if (typeof chunk === 'string') {
      if (chunk.includes('\uFFFD')) throw new CsvFileProblem(CSV_FILE_THAI.notUtf8);
      yield chunk;
      continue;
    }
    if (first && (startsWith(chunk, ZIP_MAGIC) || startsWith(chunk, OLE_MAGIC))) throw new CsvFileProblem(CSV_FILE_THAI.spreadsheet);
    first = false;
    try {
      yield decoder.decode(chunk, { stream: true });
    } catch {
      throw new CsvFileProblem(CSV_FILE_THAI.notUtf8);
    }
  }
  try {
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch {
    throw new CsvFileProblem(CSV_FILE_THAI.notUtf8);
  }
}

/**
 * CSV records with their line numbers, from text or a stream of chunks (a UTF-8 BOM is allowed). Rows of empty cells
 * only (",,,,": Excel writes them where formatting ran past the data) are skipped like blank lines.
 */
export async function* csvRecords(source: AsyncIterable<string | Buffer> | Iterable<string | Buffer>): AsyncGenerator<{ record: string[]; line: number }> {
  const parser = parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: false });
  const feeding = (async () => {
    try {
      for await (const chunk of utf8Chunks(source)) {
        if (!parser.write(chunk)) await new Promise((resolve) => parser.once('drain', resolve));
      }
      parser.end();
    } catch (error) {
      parser.destroy(error as Error);
    }
  })();
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    if (record.every((cell) => cell.trim() === '')) continue;
    yield { record, line: info.lines };
  }
  await feeding;
}

/**
 * Imports a registry file, read as it arrives: every row checked; all or nothing. A second import of the same
 * contract numbers updates them; it never duplicates.
 */
export interface RegistryImportMeta {
  actor: string;
  fileName: string;
  at: Date;
  /**
   * A contract may pass to another borrower (an heir who takes the debt over). Without this a row that does so is
   * refused: it is far more often a mistyped contract number or national ID, which would move a loan and its payment
   * history to someone else without a word.
   */
  allowNewBorrower?: boolean;
}

export async function importLoanRegistry(
  deps: RegistryImportDeps,
  source: AsyncIterable<string | Buffer> | Iterable<string | Buffer>,
  meta: RegistryImportMeta,
): Promise<ImportResult> {
  let result: ImportResult;
  /** A bulk load: statistics refreshed inside the transaction, pages vacuumed once it is committed. */
  let bulk = false;
  try {
    result = await deps.db.transaction().execute(async (trx) => {
      // One import at a time: two imports of overlapping files must not interleave their schedules.
      await lockScheduleWrites(trx);
      await deferDebtorPositions(trx);
      const rowErrors: RegistryRowError[] = [];
      const firstLineOfContract = new Map<string, number>();
      const schedules = scheduleMemo();
      // Each person once: her first line, and her name and area there (under the keyed hash, never the ID itself).
      const firstRowOfPerson = new Map<string, { line: number; fullName: string; area: string }>();
      const state: ImportState = {
        areaIds: new Map(),
        ownerChanges: [],
        nationalIdHashes: new WeakMap(),
        borrowerIds: new Set(),
        totals: {
          loansCreated: 0, loansUpdated: 0, loansUnchanged: 0, paidTotalRaised: 0, paidTotalRaisedBy: 0, paidTotalLowered: 0, paidTotalLoweredBy: 0,
          borrowersCreated: 0, installmentsWritten: 0, skippedAnonymised: 0,
        },
        schedules,
        scheduleTexts: scheduleTextMemo(),
        scheduleTotal: (terms) => scheduleTotal(schedules(terms)),
      };
      // One slice is written while the next is read and checked, and its schedules while the next is prepared: the
      // database and this process work at once.
      let writing: Promise<void> = Promise.resolve();
      let tail: Promise<void> = Promise.resolve();
      const write = async (loans: RegistryLoan[]) => {
        await writing;
        writing = writeSlice(deps, trx, loans, state, meta, tail).then((written) => {
          tail = written.tail;
        });
        writing.catch(() => undefined); // observed by the next write or at the end
      };
      // Waits for everything sent. The failure to report is the first one: after it every statement of the
      // transaction, whichever slice sent it, fails with "current transaction is aborted".
      const settle = async () => {
        const failures: unknown[] = [];
        const observe = (work: Promise<void>) => work.catch((failure: unknown) => void failures.push(failure));
        await observe(tail);
        await observe(writing);
        await observe(tail); // the last slice's, once its preparation is done
        if (failures.length > 0) throw failures.find((failure) => !isAbortedTransaction(failure)) ?? failures[0];
      };
      let columns: string[] | undefined;
      let slice: RegistryLoan[] = [];
      /** Rows not written because an earlier one was bad: their contract's owner is checked without writing. */
      const unwritten: OwnerCheck[] = [];
      const ownerCheckOf = (loan: RegistryLoan): OwnerCheck => ({ line: loan.line, contractNo: loan.contractNo, hashes: deps.cipher.lookupHashes(loan.nationalId) });
      let loanCount = 0;
      const reject = (result: Extract<ImportResult, { ok: false }>) => new RejectedFile(result);

      try {
        for await (const { record, line } of csvRecords(source)) {
          if (!columns) {
            columns = record.map((name) => name.trim().toLowerCase());
            const fileProblems = checkRegistryHeader(columns);
            if (fileProblems.length > 0) throw reject({ ok: false, fileProblems, rowErrors: [] });
            continue;
          }
          if (record.length !== columns.length) {
            rowErrors.push({ line, contractNo: undefined, reasons: [`มี ${record.length} คอลัมน์ แต่หัวตารางมี ${columns.length} คอลัมน์`] });
            continue;
          }
          const raw: RawRegistryRow = {};
          columns.forEach((column, index) => {
            if ((REGISTRY_COLUMNS as readonly string[]).includes(column)) raw[column as keyof RawRegistryRow] = record[index];
          });
          const checked = validateRegistryRow(raw, line, state.scheduleTotal);
          if ('error' in checked) {
            rowErrors.push(checked.error);
            continue;
          }
          const earlier = firstLineOfContract.get(checked.loan.contractNo);
          if (earlier !== undefined) {
            rowErrors.push({ line, contractNo: checked.loan.contractNo, reasons: [`เลขที่สัญญาซ้ำกับบรรทัด ${earlier}`] });
            continue;
          }
          firstLineOfContract.set(checked.loan.contractNo, line);
          const person = deps.cipher.lookupHash(checked.loan.nationalId);
          state.nationalIdHashes.set(checked.loan, person);
          const area = `${checked.loan.province}/${checked.loan.district}/${checked.loan.subdistrict}`;
          const seen = firstRowOfPerson.get(person);
          if (!seen) firstRowOfPerson.set(person, { line, fullName: checked.loan.fullName, area });
          else if (seen.fullName !== checked.loan.fullName || seen.area !== area) {
            const what = seen.fullName !== checked.loan.fullName ? (seen.area !== area ? 'ชื่อและพื้นที่' : 'ชื่อ') : 'พื้นที่';
            rowErrors.push({ line, contractNo: checked.loan.contractNo, reasons: [REGISTRY_IMPORT_THAI.samePersonDiffers(seen.line, what)] });
            continue;
          }
          loanCount += 1;
          // After the first bad row nothing more is written (it would be rolled back); the rest is only checked —
          // whose contracts they name too, at the end, so that every bad row is listed in one report.
          if (rowErrors.length > 0) {
            if (slice.length > 0) {
              unwritten.push(...slice.map(ownerCheckOf));
              slice = [];
            }
            unwritten.push(ownerCheckOf(checked.loan));
            continue;
          }
          slice.push(checked.loan);
          if (slice.length >= SLICE) {
            await write(slice);
            slice = [];
          }
        }
      } catch (error) {
        await settle().catch((failure: unknown) => {
          throw error instanceof RejectedFile ? error : failure;
        });
        if (error instanceof RejectedFile) throw error;
        if (error instanceof CsvFileProblem) throw reject({ ok: false, rowErrors: [], fileProblems: [error.message] });
        const e = error as { message?: string; lines?: number };
        if (e.lines !== undefined || (error as { code?: string }).code?.startsWith('CSV_')) {
          throw reject({ ok: false, rowErrors: [], fileProblems: [`อ่านไฟล์ CSV ไม่ได้${e.lines ? ` (บรรทัด ${e.lines})` : ''}: ${e.message ?? String(error)}`] });
        }
        throw error;
      }
      await settle();
      if (!columns) throw reject({ ok: false, rowErrors: [], fileProblems: ['ไฟล์ว่าง ไม่มีหัวตาราง'] });
      if (rowErrors.length > 0) {
        if (!meta.allowNewBorrower) {
          unwritten.push(...slice.map(ownerCheckOf));
          const owners = await contractOwnerHashes(trx, unwritten.map((row) => row.contractNo));
          const changed = unwritten.filter((row) => owners.has(row.contractNo) && !row.hashes.includes(owners.get(row.contractNo)!));
          for (const { line, contractNo } of [...state.ownerChanges, ...changed]) rowErrors.push({ line, contractNo, reasons: [REGISTRY_IMPORT_THAI.ownerChanged] });
        }
        throw reject({ ok: false, fileProblems: [], rowErrors: rowErrors.sort((a, b) => a.line - b.line) });
      }
      if (loanCount === 0) throw reject({ ok: false, fileProblems: ['ไฟล์ไม่มีข้อมูลสัญญา (มีแต่หัวตาราง)'], rowErrors: [] });
      if (slice.length > 0) await write(slice);
      await settle();
      if (state.ownerChanges.length > 0 && !meta.allowNewBorrower) {
        throw reject({ ok: false, fileProblems: [], rowErrors: state.ownerChanges.sort((a, b) => a.line - b.line).map(({ line, contractNo }) => ({ line, contractNo, reasons: [REGISTRY_IMPORT_THAI.ownerChanged] })) });
      }

      // A bulk load changes what the planner should expect; statistics left to autovacuum arrive too late for the
      // jobs that run right after an import.
      bulk = loanCount >= BULK_LOANS;
      if (bulk) await analyzeLoanTables(trx);
      const result = { ok: true as const, ...state.totals, borrowersTotal: state.borrowerIds.size };
      await recordAudit(trx, {
        actor: meta.actor,
        action: 'registry.import',
        subject: `file:${meta.fileName}`,
        details: { ...result, ok: undefined },
        at: meta.at,
      });
      return result;
    });
  } catch (error) {
    if (error instanceof RejectedFile) return error.result;
    throw error;
  }
  // The import is committed whatever happens here; if this fails, autovacuum does the same later.
  if (bulk) await vacuumInstallments(deps.db).catch(() => undefined);
  return result;
}

export function createRegistryImportService(deps: RegistryImportDeps) {
  return {
    /** Imports registry CSV text: every row checked, all or nothing. */
    importCsv: (csvText: string, meta: RegistryImportMeta) => importLoanRegistry(deps, [csvText], meta),
    /** Imports a registry file as it is read (e.g. a file stream), without holding it in memory; all or nothing. */
    importStream: (source: AsyncIterable<string | Buffer>, meta: RegistryImportMeta) => importLoanRegistry(deps, source, meta),
  };
}

export type RegistryImportService = ReturnType<typeof createRegistryImportService>;
