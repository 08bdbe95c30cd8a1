import { createHash } from 'node:crypto';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { normaliseName } from './node-id.js';

/** An analysed failure the taxonomy classifies by its error title. */
export interface TitledFailure {
  failureId: string;
  errorTitle: string;
  errorSummary: string;
}

/** One distinct error title (after normalising case and whitespace) and the failures that carry it. */
export interface UniqueTitle {
  key: string;
  /** The most frequent spelling among the failures. */
  title: string;
  failureIds: string[];
}

const UNTITLED = '(untitled error)';

/**
 * Groups failures by normalised title. The result is sorted by key and each spelling choice is
 * order-free (most frequent, then alphabetical), so input order never changes the outcome.
 */
export function uniqueTitles(failures: readonly TitledFailure[]): UniqueTitle[] {
  const groups = new Map<string, { spellings: Map<string, number>; failureIds: string[] }>();
  for (const f of failures) {
    const spelling = f.errorTitle.trim().replace(/\s+/g, ' ') || UNTITLED;
    const key = normaliseName(spelling);
    let group = groups.get(key);
    if (!group) {
      group = { spellings: new Map(), failureIds: [] };
      groups.set(key, group);
    }
    group.spellings.set(spelling, (group.spellings.get(spelling) ?? 0) + 1);
    group.failureIds.push(f.failureId);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, g]) => ({ key, title: mostFrequent(g.spellings), failureIds: [...g.failureIds].sort() }));
}

/** Failures carried by a set of unique titles: what the per-node category budget counts. */
export function failureCount(titles: readonly UniqueTitle[]): number {
  return titles.reduce((n, t) => n + t.failureIds.length, 0);
}

function mostFrequent(spellings: Map<string, number>): string {
  return [...spellings.entries()].sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : a > b ? 1 : 0))[0][0];
}

/** A 32-bit seed for one node: the run seed split by node id, so results never depend on call order. */
export function nodeSeed(seed: number, nodeId: string): number {
  return createHash('sha256').update(`${seed}\u0000${nodeId}`).digest().readInt32LE(0);
}

/** Fisher–Yates shuffle with a seeded generator; returns a new array. */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  const rng = xoroshiro128plus(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = uniformInt(rng, 0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
