// Seed 004 §4.1: a subsidy budget allocated across districts by the number of tambons, the number of members, or
// the overdue rate (inverse or direct), or a weighted mix of them — in whole baht that add up exactly to the budget
// (largest remainder: everyone gets the whole baht of their exact share, the baht left over go one each to the
// largest fractions; ties go to the earlier district in the given order).

export type AllocationBasis = 'tambons' | 'members' | 'overdue_direct' | 'overdue_inverse';
export const ALLOCATION_BASES: readonly AllocationBasis[] = ['tambons', 'members', 'overdue_direct', 'overdue_inverse'];

export interface DistrictBasis {
  key: string;
  tambons: number;
  members: number;
  /** The KPI overdue rate of the district, in percent (0–100). */
  overdueRatePercent: number;
}

/** Weights per basis (any non-negative numbers; they are normalised). One basis = that basis alone. */
export type AllocationWeights = Partial<Record<AllocationBasis, number>>;

export interface AllocatedDistrict {
  key: string;
  /** The district's share of the budget, 0–1 (the exact quota ÷ budget). */
  share: number;
  /** Whole baht. */
  amountBaht: number;
}

export class AllocationError extends Error {
  constructor(readonly reason: 'no_districts' | 'bad_budget' | 'bad_weights' | 'all_zero') {
    super(`budget allocation: ${reason}`);
  }
}

/**
 * What a basis counts for a district. Direct: the higher the overdue rate, the larger the share (money where the
 * debt problem is). Inverse: the share follows the part of the debt that is NOT overdue (100 − rate), rewarding
 * districts that collect well; 1 ÷ rate was not used because a district with no overdue debt would take everything.
 */
export function basisValue(basis: AllocationBasis, district: DistrictBasis): number {
  switch (basis) {
    case 'tambons':
      return district.tambons;
    case 'members':
      return district.members;
    case 'overdue_direct':
      return Math.max(0, district.overdueRatePercent);
    case 'overdue_inverse':
      return Math.max(0, 100 - district.overdueRatePercent);
  }
}

/** Each district's share of the budget under the weights (shares add up to 1). */
export function allocationShares(districts: readonly DistrictBasis[], weights: AllocationWeights): number[] {
  if (districts.length === 0) throw new AllocationError('no_districts');
  const used = ALLOCATION_BASES.filter((basis) => (weights[basis] ?? 0) > 0);
  if (used.length === 0 || ALLOCATION_BASES.some((basis) => !Number.isFinite(weights[basis] ?? 0) || (weights[basis] ?? 0) < 0)) {
    throw new AllocationError('bad_weights');
  }
  const weightTotal = used.reduce((sum, basis) => sum + weights[basis]!, 0);
  const shares = districts.map(() => 0);
  let weightApplied = 0;
  for (const basis of used) {
    const values = districts.map((district) => basisValue(basis, district));
    const total = values.reduce((sum, value) => sum + value, 0);
    // A basis every district scores zero on says nothing: its weight goes to the other bases.
    if (total <= 0) continue;
    weightApplied += weights[basis]!;
    values.forEach((value, index) => (shares[index]! += (weights[basis]! / weightTotal) * (value / total)));
  }
  if (weightApplied === 0) throw new AllocationError('all_zero');
  const scale = weightTotal / weightApplied;
  return shares.map((share) => share * scale);
}

/** Whole baht per district, summing exactly to the budget (largest remainder). */
export function allocateBudget(budgetBaht: number, districts: readonly DistrictBasis[], weights: AllocationWeights): AllocatedDistrict[] {
  if (!Number.isSafeInteger(budgetBaht) || budgetBaht <= 0) throw new AllocationError('bad_budget');
  const shares = allocationShares(districts, weights);
  const rows = districts.map((district, index) => ({ key: district.key, share: shares[index]!, amountBaht: 0 }));
  distributeLargestRemainder(budgetBaht, rows);
  return rows;
}

function distributeLargestRemainder(budget: number, rows: AllocatedDistrict[]): void {
  const quotas = rows.map((row) => budget * row.share);
  const floors = quotas.map((quota) => Math.floor(quota + 1e-9));
  let left = budget - floors.reduce((sum, value) => sum + value, 0);
  const order = quotas
    .map((quota, index) => ({ index, fraction: quota - floors[index]! }))
    .sort((a, b) => b.fraction - a.fraction || a.index - b.index);
  // Floating-point shares can leave the floors a baht above the budget: take it back from the smallest fractions.
  for (let i = order.length - 1; left < 0 && i >= 0; i--) {
    const { index } = order[i]!;
    if (floors[index]! > 0) {
      floors[index]! -= 1;
      left += 1;
    }
  }
  for (let i = 0; left > 0; i = (i + 1) % order.length) {
    floors[order[i]!.index]! += 1;
    left -= 1;
  }
  rows.forEach((row, index) => (row.amountBaht = floors[index]!));
}
