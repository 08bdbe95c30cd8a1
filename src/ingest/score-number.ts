import { excerpt } from '../errors.js';

/**
 * A score as people write one: optional sign, digits with an optional fraction, optional exponent.
 * `Number()` alone would also take "0x10" (16), "0b1", "Infinity" and whitespace-only text.
 */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export type ScoreReading = { ok: true; value: number } | { ok: false; problem: string };

/** Reads a score cell: a finite number, a decimal string, or true/false; anything else is the problem to report. */
export function readScore(value: unknown): ScoreReading {
  if (typeof value === 'boolean') return { ok: true, value: value ? 1 : 0 };
  if (typeof value === 'number') {
    return Number.isFinite(value) ? { ok: true, value } : { ok: false, problem: `score ${value} is not a finite number` };
  }
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') return { ok: false, problem: 'score is empty' };
    if (!DECIMAL.test(text)) return { ok: false, problem: `score ${JSON.stringify(excerpt(text))} is not a decimal number` };
    const n = Number(text);
    return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, problem: `score ${excerpt(text)} is not a finite number` };
  }
  const shown = value === undefined ? 'undefined' : JSON.stringify(value);
  return { ok: false, problem: `score ${excerpt(shown)} is not a number` };
}

/** A decimal string as a finite number, else undefined (for formats that read scores leniently from several places). */
export function decimalNumber(text: string): number | undefined {
  const reading = readScore(text);
  return reading.ok ? reading.value : undefined;
}
