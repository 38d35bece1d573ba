// Small factories for registry rows: valid by default, every field overridable.
import { nationalIdCheckDigit } from '../../server/domain/thai-national-id.ts';
import { REGISTRY_COLUMNS, type RegistryColumn } from '../../server/domain/loan-registry.ts';

let counter = 0;

/** A valid Thai national ID, different on every call unless a seed is given. */
export function validNationalId(seed?: number): string {
  const n = seed ?? ++counter + Math.floor(Math.random() * 1_000_000);
  const first12 = `1${String(n).padStart(11, '0').slice(-11)}`;
  return `${first12}${nationalIdCheckDigit(first12)}`;
}

export type RegistryRowInput = Partial<Record<RegistryColumn, string | number | boolean>>;

/** A stable seed from a contract number: importing the same contract again names the same borrower. */
function seedOf(contractNo: string): number {
  let hash = 0;
  for (const ch of contractNo) hash = (hash * 31 + ch.charCodeAt(0)) % 99_999_989;
  return 100_000_000 + hash;
}

export function registryRow(overrides: RegistryRowInput = {}): Record<RegistryColumn, string> {
  // A contract given without an ID keeps one ID across imports (a re-import that gave it to someone else is refused).
  const contractNo = overrides.contract_no === undefined ? undefined : String(overrides.contract_no);
  const defaults: Record<RegistryColumn, string> = {
    contract_no: `C-${Date.now().toString(36)}-${++counter}`,
    national_id: contractNo ? validNationalId(seedOf(contractNo)) : validNationalId(),
    full_name: 'สมหญิง ทดสอบ',
    phone: '0812345678',
    province: 'ตราด',
    district: 'เมืองตราด',
    subdistrict: 'บางพระ',
    principal: '12,000.00',
    annual_interest_rate: '0',
    installments: '12',
    frequency: 'monthly',
    first_due_on: '2026-01-15',
    paid_total: '0',
    litigation: 'false',
  };
  const row = { ...defaults };
  for (const [key, value] of Object.entries(overrides)) row[key as RegistryColumn] = String(value);
  return row;
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function registryCsv(rows: Array<Record<string, string>>, columns: readonly string[] = REGISTRY_COLUMNS): string {
  return [columns.join(','), ...rows.map((row) => columns.map((c) => csvField(row[c] ?? '')).join(','))].join('\n') + '\n';
}
