import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { MatchedPair } from './semantic-match.js';

/** Cosine similarity of two vectors of the same length (0 when either is all zeros). */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`cosine similarity of vectors of lengths ${a.length} and ${b.length}`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

export interface MeanWithInterval {
  n: number;
  mean: number;
  /** 95% percentile-bootstrap interval of the mean (seeded, 2,000 resamples); equal to the mean when n < 2. */
  ciLow: number;
  ciHigh: number;
}

const RESAMPLES = 2000;

/** The mean with a seeded percentile-bootstrap 95% interval: no normality assumed for similarities bounded by 1. */
export function meanWithInterval(values: readonly number[], seed: number): MeanWithInterval {
  const n = values.length;
  if (n === 0) return { n, mean: Number.NaN, ciLow: Number.NaN, ciHigh: Number.NaN };
  const mean = values.reduce((s, v) => s + v, 0) / n;
  if (n < 2) return { n, mean, ciLow: mean, ciHigh: mean };
  const rng = xoroshiro128plus(seed);
  const means: number[] = [];
  for (let r = 0; r < RESAMPLES; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[uniformInt(rng, 0, n - 1)];
    means.push(sum / n);
  }
  means.sort((x, y) => x - y);
  return { n, mean, ciLow: means[Math.floor(0.025 * (RESAMPLES - 1))], ciHigh: means[Math.ceil(0.975 * (RESAMPLES - 1))] };
}

export interface LabelSimilarity extends MeanWithInterval {
  embedder: string;
  /** Each matched pair's names and their cosine similarity. */
  pairs: { firstName: string; secondName: string; cosine: number }[];
}

/**
 * The paper's label similarity: mean cosine similarity between the embedded names of matched categories
 * (it reported 53% between labels from two prompt versions). Each distinct name is embedded once.
 */
export async function labelSimilarity(
  pairs: readonly MatchedPair[],
  embedder: { id: string; embed(texts: string[]): Promise<number[][]> },
  seed: number,
): Promise<LabelSimilarity> {
  const names = [...new Set(pairs.flatMap((p) => [p.firstName, p.secondName]))];
  const vectors = new Map<string, number[]>();
  if (names.length > 0) {
    const embedded = await embedder.embed(names);
    for (const [i, name] of names.entries()) vectors.set(name, embedded[i]);
  }
  const scored = pairs.map((p) => ({
    firstName: p.firstName,
    secondName: p.secondName,
    cosine: cosineSimilarity(vectors.get(p.firstName) ?? [], vectors.get(p.secondName) ?? []),
  }));
  return {
    embedder: embedder.id,
    ...meanWithInterval(
      scored.map((s) => s.cosine),
      seed,
    ),
    pairs: scored,
  };
}
