import { seededSample, seededUniform } from '../chart/seeded-order.js';
import type { FailureView } from '../store/run-data.js';

export const DEFAULT_AUDIT_SAMPLE = 100;

/**
 * The failures to audit: analysed and filed failures, stratified by the judge's top-level category with
 * proportional allocation (largest remainders; every category gets at least one when the sample has room),
 * drawn per category with the seed and keyed by failure id, so the viewer and `audit export` present the
 * same sample whatever the input order. Presented in a seeded order that mixes the categories.
 */
export function auditSample<F extends Pick<FailureView, 'id' | 'path' | 'analysis'>>(
  failures: readonly F[],
  size: number,
  seed: number,
): F[] {
  const placed = failures.filter((f) => f.analysis !== undefined && f.path.length > 0);
  const strata = new Map<string, F[]>();
  for (const f of placed) {
    const key = f.path[0];
    const list = strata.get(key) ?? [];
    list.push(f);
    strata.set(key, list);
  }
  const quotas = allocate(
    [...strata].map(([key, items]) => ({ key, size: items.length })),
    Math.min(size, placed.length),
  );
  const picked = [...strata].flatMap(([key, items]) => seededSample(items, quotas.get(key) ?? 0, seed, `audit:${key}`, (f) => f.id));
  const order = (f: F) => seededUniform(seed, 'audit-order', f.id);
  return picked.sort((a, b) => order(a) - order(b) || (a.id < b.id ? -1 : 1));
}

/** Proportional allocation of `total` over strata by largest remainders, at least one each while it lasts. */
export function allocate(strata: readonly { key: string; size: number }[], total: number): Map<string, number> {
  const quotas = new Map<string, number>();
  const population = strata.reduce((s, x) => s + x.size, 0);
  if (population === 0 || total <= 0) return quotas;
  const sorted = [...strata].sort((a, b) => b.size - a.size || (a.key < b.key ? -1 : 1));
  const floor = total >= sorted.length ? 1 : 0;
  let left = total;
  for (const s of sorted) {
    const q = Math.min(s.size, Math.max(floor, Math.floor((total * s.size) / population)));
    quotas.set(s.key, q);
    left -= q;
  }
  // Hand out (or take back) the rest by largest remainder, never beyond a stratum's size or below one.
  const remainder = (s: { key: string; size: number }) => (total * s.size) / population - (quotas.get(s.key) ?? 0);
  while (left !== 0) {
    const candidates = sorted
      .filter((s) => (left > 0 ? (quotas.get(s.key) ?? 0) < s.size : (quotas.get(s.key) ?? 0) > floor))
      .sort((a, b) => (left > 0 ? remainder(b) - remainder(a) : remainder(a) - remainder(b)));
    if (candidates.length === 0) break;
    const s = candidates[0];
    quotas.set(s.key, (quotas.get(s.key) ?? 0) + Math.sign(left));
    left -= Math.sign(left);
  }
  return quotas;
}
