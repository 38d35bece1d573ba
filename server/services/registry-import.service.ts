// Loads the fund's loan registry (CSV) into the database: validate every row first, then write all or nothing.
import { parse } from 'csv-parse/sync';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import {
  checkRegistryHeader,
  REGISTRY_COLUMNS,
  validateRegistry,
  type RawRegistryRow,
  type RegistryLoan,
  type RegistryRowError,
} from '../domain/loan-registry.ts';
import { applyPaidTotal, generateSchedule } from '../domain/loan-schedule.ts';
import { maskNationalId } from '../domain/thai-national-id.ts';
import type { PersonalDataCipher } from '../security/personal-data-cipher.ts';
import { ensureAreaPaths } from '../db/repos/areas.repo.ts';
import { rehashNationalIds, upsertBorrowers, type BorrowerUpsert } from '../db/repos/borrowers.repo.ts';
import {
  deleteInstallmentsOf,
  findLoansByContract,
  insertInstallments,
  loadInstallments,
  updateInstallmentPayments,
  upsertLoans,
  type ExistingLoan,
  type InstallmentRow,
} from '../db/repos/loans.repo.ts';
import { recordAudit } from '../db/repos/audit.repo.ts';
import { lockScheduleWrites } from '../db/repos/locks.repo.ts';
import { insertRegistryPaymentDeltas } from '../db/repos/payments.repo.ts';
import { reconcileRegistryImport } from './payment-reconciliation.service.ts';

export type ImportResult =
  | { ok: true; loansCreated: number; loansUpdated: number; borrowersCreated: number; borrowersTotal: number; installmentsWritten: number }
  | { ok: false; fileProblems: string[]; rowErrors: RegistryRowError[] };

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/** Reads CSV text (a UTF-8 BOM is allowed) into raw rows with their line numbers. */
export function readRegistryCsv(text: string): { rows: Array<{ raw: RawRegistryRow; line: number }>; fileProblems: string[]; rowErrors: RegistryRowError[] } {
  let records: ParsedRecord[];
  try {
    records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: false }) as unknown as ParsedRecord[];
  } catch (error) {
    const e = error as { message?: string; lines?: number };
    return { rows: [], rowErrors: [], fileProblems: [`อ่านไฟล์ CSV ไม่ได้${e.lines ? ` (บรรทัด ${e.lines})` : ''}: ${e.message ?? String(error)}`] };
  }
  const [header, ...body] = records;
  if (!header) return { rows: [], rowErrors: [], fileProblems: ['ไฟล์ว่าง ไม่มีหัวตาราง'] };
  const columns = header.record.map((name) => name.trim().toLowerCase());
  const fileProblems = checkRegistryHeader(columns);
  if (fileProblems.length > 0) return { rows: [], rowErrors: [], fileProblems };

  const rows: Array<{ raw: RawRegistryRow; line: number }> = [];
  const rowErrors: RegistryRowError[] = [];
  for (const { record, info } of body) {
    if (record.length !== columns.length) {
      rowErrors.push({ line: info.lines, contractNo: undefined, reasons: [`มี ${record.length} คอลัมน์ แต่หัวตารางมี ${columns.length} คอลัมน์`] });
      continue;
    }
    const raw: RawRegistryRow = {};
    columns.forEach((column, index) => {
      if ((REGISTRY_COLUMNS as readonly string[]).includes(column)) raw[column as keyof RawRegistryRow] = record[index];
    });
    rows.push({ raw, line: info.lines });
  }
  return { rows, fileProblems: [], rowErrors };
}

/** Loans whose schedules are built and written together; bounds memory on a 100,000-row file. */
const SCHEDULE_SLICE = 10_000;

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

export async function importLoanRegistry(
  deps: RegistryImportDeps,
  csvText: string,
  meta: { actor: string; fileName: string; at: Date },
): Promise<ImportResult> {
  const read = readRegistryCsv(csvText);
  if (read.fileProblems.length > 0) return { ok: false, fileProblems: read.fileProblems, rowErrors: [] };
  const { loans, errors } = validateRegistry(read.rows);
  const rowErrors = [...read.rowErrors, ...errors].sort((a, b) => a.line - b.line);
  if (rowErrors.length > 0) return { ok: false, fileProblems: [], rowErrors };
  if (loans.length === 0) return { ok: false, fileProblems: ['ไฟล์ไม่มีข้อมูลสัญญา (มีแต่หัวตาราง)'], rowErrors: [] };

  return deps.db.transaction().execute(async (trx) => {
    // One import at a time: two imports of overlapping files must not interleave their schedules.
    await lockScheduleWrites(trx);

    const areaIds = await ensureAreaPaths(trx, loans.map((loan) => `${loan.province}/${loan.district}/${loan.subdistrict}`));

    // The last row of a person wins for name, phone and area.
    const borrowerRows = new Map<string, BorrowerUpsert>();
    const hashOfNationalId = new Map<string, string>();
    for (const loan of loans) {
      let hash = hashOfNationalId.get(loan.nationalId);
      if (!hash) {
        hash = deps.cipher.lookupHash(loan.nationalId);
        hashOfNationalId.set(loan.nationalId, hash);
      }
      borrowerRows.set(hash, {
        nationalIdHash: hash,
        nationalIdCipher: borrowerRows.get(hash)?.nationalIdCipher ?? deps.cipher.encrypt(loan.nationalId),
        nationalIdMasked: maskNationalId(loan.nationalId),
        fullName: loan.fullName,
        phone: loan.phone ?? null,
        areaId: areaIds.get(`${loan.province}/${loan.district}/${loan.subdistrict}`)!,
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

    const existing = await findLoansByContract(trx, loans.map((loan) => loan.contractNo));
    const loanIds = await upsertLoans(
      trx,
      loans.map((loan) => ({
        contractNo: loan.contractNo,
        borrowerId: borrowers.idsByHash.get(hashOfNationalId.get(loan.nationalId)!)!,
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

    // Only what changed is rewritten, a slice of loans at a time so memory stays flat:
    // new terms → the schedule is regenerated; same terms, new paid total → only paid amounts move;
    // a schedule restructured by a relief measure is kept and only has the new paid total applied.
    let installmentsWritten = 0;
    for (let start = 0; start < loans.length; start += SCHEDULE_SLICE) {
      const slice = loans.slice(start, start + SCHEDULE_SLICE);
      const regenerate: number[] = [];
      const fresh: InstallmentRow[] = [];
      const repaid: InstallmentRow[] = [];
      const restructured: Array<{ loanId: number; paidTotal: number }> = [];
      for (const loan of slice) {
        const loanId = loanIds.get(loan.contractNo)!;
        const before = existing.get(loan.contractNo);
        if (before?.scheduleSource === 'restructured') {
          if (before.paidTotal !== loan.paidTotal) restructured.push({ loanId, paidTotal: paidToApply(loan) });
          continue;
        }
        if (before && sameTerms(before, loan)) {
          if (before.paidTotal === loan.paidTotal) continue;
          for (const installment of applyPaidTotal(generateSchedule(loan), paidToApply(loan))) repaid.push({ ...installment, loanId });
          continue;
        }
        if (before) regenerate.push(loanId);
        for (const installment of applyPaidTotal(generateSchedule(loan), paidToApply(loan))) fresh.push({ ...installment, loanId });
      }
      if (restructured.length > 0) {
        const current = await loadInstallments(trx, restructured.map((r) => r.loanId));
        for (const { loanId, paidTotal } of restructured) {
          for (const installment of applyPaidTotal(current.get(loanId) ?? [], paidTotal)) repaid.push({ ...installment, loanId });
        }
      }
      await deleteInstallmentsOf(trx, regenerate);
      await insertInstallments(trx, fresh);
      await updateInstallmentPayments(trx, repaid);
      installmentsWritten += fresh.length + repaid.length;
    }

    // Each change in the registry's paid total that recorded payments do not explain is kept as a payment record
    // (a correction may be negative): the sum of a loan's payment records is always what its schedule carries.
    await insertRegistryPaymentDeltas(trx, reconciliation.registryDeltas, meta);

    const result = {
      ok: true as const,
      loansCreated: loans.length - existing.size,
      loansUpdated: existing.size,
      borrowersCreated: borrowers.created,
      borrowersTotal: borrowerRows.size,
      installmentsWritten,
    };
    await recordAudit(trx, {
      actor: meta.actor,
      action: 'registry.import',
      subject: `file:${meta.fileName}`,
      details: { ...result, ok: undefined },
      at: meta.at,
    });
    return result;
  });
}

export function createRegistryImportService(deps: RegistryImportDeps) {
  return {
    /** Imports registry CSV text: every row checked first, then all or nothing. */
    importCsv: (csvText: string, meta: { actor: string; fileName: string; at: Date }) => importLoanRegistry(deps, csvText, meta),
  };
}

export type RegistryImportService = ReturnType<typeof createRegistryImportService>;
