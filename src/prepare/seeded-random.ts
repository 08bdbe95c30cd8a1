import { createHash } from 'node:crypto';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/**
 * A generator for one purpose and one key (for example a (model, dataset) stratum), derived from the run seed.
 * Deriving from the key rather than from iteration order keeps each stream independent of every other one.
 */
export function rngFor(seed: number, ...key: string[]): RandomGenerator {
  const digest = createHash('sha256')
    .update(`${seed}\u0000${key.join('\u0000')}`)
    .digest();
  const state: number[] = [digest.readInt32LE(0), digest.readInt32LE(4), digest.readInt32LE(8), digest.readInt32LE(12)];
  // An all-zero state would only ever produce zeros.
  // Stryker disable next-line all: needs a SHA-256 whose first 16 bytes are zero, which no key can be found to give
  if (!state.some((word) => word !== 0)) state[0] = 1;
  return xoroshiro128plusFromState(state);
}

/** The first `count` items of a seeded shuffle (partial Fisher-Yates); a smaller count gives a prefix of a larger one. */
export function seededPick<T>(items: readonly T[], count: number, rng: RandomGenerator): T[] {
  const pool = [...items];
  const take = Math.max(0, Math.min(count, pool.length));
  for (let i = 0; i < take; i += 1) {
    const j = uniformInt(rng, i, pool.length - 1);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, take);
}

/** Code-point order, independent of locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
