import { createHash } from 'node:crypto';

/**
 * A number in [0, 1) fixed by (seed, purpose, key). Sampling and option order hang on the key, not on
 * arrival order, so the same seed picks the same failures and orders whatever the input order.
 */
export function seededUniform(seed: number, purpose: string, key: string): number {
  const digest = createHash('sha256').update(`${seed}\u0000${purpose}\u0000${key}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

/** The `k` items with the smallest seeded draw: a simple random sample without replacement. */
export function seededSample<T>(items: readonly T[], k: number, seed: number, purpose: string, key: (item: T) => string): T[] {
  return items
    .map((item) => ({ item, u: seededUniform(seed, purpose, key(item)), k: key(item) }))
    .sort((a, b) => a.u - b.u || a.k.localeCompare(b.k))
    .slice(0, Math.max(0, k))
    .map((x) => x.item);
}
