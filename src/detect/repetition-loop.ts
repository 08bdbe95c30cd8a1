import { cleanOutput } from './answer-extraction.js';
import { defineDetector, isBlank } from './detector-definition.js';
import { NO_USABLE_ANSWER } from './no-usable-answer.js';

const MIN_LINE_LENGTH = 15;
const MIN_LINE_REPEATS = 5;
/** Refrains are expected in songs and poems, so repeated lines say nothing there. */
const REFRAIN_TASK = /\b(?:song|lyrics|poem|chant|rap|verse|chorus)\b/i;
const SHINGLE = 8;
const MIN_WORDS = 80;
/** Share of words inside 8-word sequences that occur at least three times. */
const MIN_REPEATED_SHARE = 0.75;
const MIN_PHRASE_REPEATS = 8;
/** A loop built from one template with a changing tail ("…led to the decline of X", "… of Y"). */
/** Prefix length in words → share of all lines and sentences that must share it (shorter prefixes need more). */
/** Sentences count as units only for the long prefix: a list line may hold two parallel sentences. */
const TEMPLATES: ReadonlyArray<{ words: number; share: number; sentences: boolean }> = [
  { words: 6, share: 0.4, sentences: true },
  { words: 3, share: 0.6, sentences: false },
];
/** Above the 10 options of a multiple-choice walk-through ("Option A is incorrect because…"). */
const MIN_TEMPLATE_REPEATS = 12;
/** A loop of characters: a unit of at most 40 characters, 15 times or more in a row, 60 characters or more in all. */
const MAX_PERIOD = 40;
const MIN_PERIOD_REPEATS = 15;
const MIN_RUN_LENGTH = 60;
/** Lines restated later in a long list ("17. X" … "30. X" … "53. X"), counted beyond each line's first use. */
const MIN_RESTATED_LINES = 10;
const MIN_RESTATED_SHARE = 0.5;

export const repetitionLoop = defineDetector(
  {
    name: 'repetition_loop',
    family: NO_USABLE_ANSWER,
    title: 'Repetition loop',
    description: 'The model repeats the same line or phrase over and over instead of progressing.',
    mechanical: true,
  },
  ({ failure }) => {
    if (isBlank(failure.outputText)) return null;
    const text = cleanOutput(failure.outputText);
    const run = periodicRun(text);
    if (run) {
      return {
        summary: `The same ${run.period}-character sequence repeats ${run.repeats} times in a row.`,
        evidence: `"${text.slice(run.start, Math.min(run.start + run.period * run.repeats, run.start + 160))}…"`,
        confidence: 0.9,
      };
    }
    const prose = proseOf(text);
    const line = mostRepeatedLine(prose);
    if (line && line.count >= MIN_LINE_REPEATS && !REFRAIN_TASK.test(failure.inputText)) {
      return {
        summary: `The same line appears ${line.count} times.`,
        evidence: `Repeated ${line.count}×: "${line.text.slice(0, 200)}"`,
        confidence: 0.85,
      };
    }
    const restated = restatedLines(prose);
    if (restated && !REFRAIN_TASK.test(failure.inputText)) {
      return {
        summary: `${restated.count} of ${restated.lines} lines restate an earlier line word for word.`,
        evidence: `For example, "${restated.example.slice(0, 200)}"`,
        confidence: 0.8,
      };
    }
    const template = TEMPLATES.map((t) => repeatedTemplate(prose, t)).find((t) => t);
    if (template && !REFRAIN_TASK.test(failure.inputText)) {
      return {
        summary: `${template.count} of ${template.units} lines or sentences follow one template, changing only a word or a number.`,
        evidence: `${template.count}× "${template.prefix} …", e.g. "${template.example.slice(0, 200)}"`,
        confidence: 0.8,
      };
    }
    const phrase = repeatedPhrase(text);
    if (phrase) {
      return {
        summary: `${Math.round(phrase.share * 100)}% of the output is phrases it repeats; "${phrase.text}" alone occurs ${phrase.count} times.`,
        evidence: `Repeated ${phrase.count}×: "${phrase.text}"`,
        confidence: 0.8,
      };
    }
    return null;
  },
);

/** Strips list markers and step numbers, which differ between repeats ("1. Describe…", "Step 3: Describe…"). */
function stripNumbering(line: string): string {
  return line.trim().replace(/^(?:[-*•]|\d+[.)]|(?:step|day|week) \d+[:.)])\s*/i, '');
}

/** Wording, not a formula or a table row: enough letters to be a sentence. */
function isWording(text: string): boolean {
  return (text.match(/[a-z]{2,}/gi) ?? []).join('').length >= 10;
}

function restatedLines(prose: string): { count: number; lines: number; example: string } | undefined {
  const lines = prose
    .split('\n')
    .map(stripNumbering)
    .filter((l) => l.length >= MIN_LINE_LENGTH && isWording(l));
  const seen = new Set<string>();
  let count = 0;
  let example = '';
  for (const line of lines) {
    if (seen.has(line)) {
      count++;
      example ||= line;
    } else seen.add(line);
  }
  return count >= MIN_RESTATED_LINES && count >= MIN_RESTATED_SHARE * lines.length ? { count, lines: lines.length, example } : undefined;
}

function mostRepeatedLine(prose: string): { text: string; count: number } | undefined {
  const counts = new Map<string, number>();
  for (const raw of prose.split('\n')) {
    const line = stripNumbering(raw);
    if (line.length < MIN_LINE_LENGTH || /^[`{}()[\];]+$/.test(line)) continue;
    counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  let best: { text: string; count: number } | undefined;
  for (const [line, count] of counts) if (!best || count > best.count) best = { text: line, count };
  return best;
}

function repeatedPhrase(text: string): { text: string; count: number; share: number } | undefined {
  const words = text
    .toLowerCase()
    .split(/\s/)
    .filter((w) => w !== '');
  if (words.length < MIN_WORDS) return undefined;
  // Words as small integers, and each 8-word shingle as a 53-bit hash of them: no string per shingle.
  const ids = new Map<string, number>();
  const codes = Int32Array.from(words, (w) => {
    const known = ids.get(w);
    if (known !== undefined) return known;
    ids.set(w, ids.size);
    return ids.size - 1;
  });
  const counts = new Map<number, number>();
  const keys = new Float64Array(Math.max(0, words.length - SHINGLE + 1));
  for (let i = 0; i < keys.length; i++) {
    let high = 0x811c9dc5;
    let low = 0x01000193;
    for (let k = 0; k < SHINGLE; k++) {
      high = Math.imul(high ^ codes[i + k], 0x01000193);
      low = Math.imul(low ^ codes[i + k], 0x5bd1e995);
    }
    keys[i] = (high >>> 0) * 0x200000 + ((low >>> 0) & 0x1fffff);
    counts.set(keys[i], (counts.get(keys[i]) ?? 0) + 1);
  }
  const covered = new Uint8Array(words.length);
  let best: { at: number; count: number } | undefined;
  for (let i = 0; i < keys.length; i++) {
    const count = counts.get(keys[i]) ?? 0;
    if (count < 3) continue;
    covered.fill(1, i, i + SHINGLE);
    if (!best || count > best.count) best = { at: i, count };
  }
  if (!best) return undefined;
  const share = covered.reduce((sum, v) => sum + v, 0) / words.length;
  const phrase = words.slice(best.at, best.at + SHINGLE).join(' ');
  return best.count >= MIN_PHRASE_REPEATS && share >= MIN_REPEATED_SHARE ? { text: phrase, count: best.count, share } : undefined;
}

/**
 * Lines (and sentences) are grouped by their first `words` words (numbers ignored); a loop is a group of at
 * least MIN_TEMPLATE_REPEATS units that holds `share` of all the output's units.
 */
function repeatedTemplate(
  prose: string,
  { words, share, sentences }: { words: number; share: number; sentences: boolean },
): { prefix: string; example: string; count: number; units: number } | undefined {
  const units = prose
    .split(sentences ? /\n|(?<=[.!?])\s+(?=[A-Z])/ : /\n/)
    .map(stripNumbering)
    .filter((u) => leadingWords(u, words + 1).length > words);
  const groups = new Map<string, string[]>();
  for (const unit of units) {
    const prefix = leadingWords(unit, words)
      .join(' ')
      .toLowerCase()
      .replace(/\d+(?:\.\d+)?/g, '#');
    const group = groups.get(prefix);
    if (group) group.push(unit);
    else groups.set(prefix, [unit]);
  }
  let best: { prefix: string; example: string; count: number; units: number } | undefined;
  for (const [prefix, group] of groups) {
    // "s(#, #) = # * s(#," is a recursion written out, not wording.
    // Stryker disable next-line ArrayDeclaration: a one-element fallback is also fewer than two words
    if ((prefix.match(/[a-z]{2,}/g) ?? []).length < 2) continue;
    if (!best || group.length > best.count) best = { prefix, example: group[0], count: group.length, units: units.length };
  }
  return best && best.count >= MIN_TEMPLATE_REPEATS && best.count >= share * best.units ? best : undefined;
}

/** The first `n` words of a unit, reading only as far as they go (a unit can be a long line). */
function leadingWords(unit: string, n: number): string[] {
  const words: string[] = [];
  for (const match of unit.matchAll(/\S+/g)) {
    words.push(match[0]);
    if (words.length === n) break;
  }
  return words;
}

/** The output without fenced code blocks, whose boilerplate lines legitimately repeat. */
function proseOf(text: string): string {
  return text.replace(/```[\s\S]*?(?:```|$)/g, '\n');
}

/**
 * The leftmost stretch where a unit of 1-40 characters repeats at least 15 times in a row (60+
 * characters in all), smallest unit first. A qualifying stretch is a long run of positions where
 * text[i] === text[i - period], so sampling every half run-length finds every one of them; only
 * sampled hits are expanded. That is linear with a small constant, where the equivalent regex
 * /(.{1,40}?)\1{14,}/s took seconds over a benchmark's outputs.
 */
export function periodicRun(text: string): { start: number; period: number; repeats: number } | undefined {
  const same = (i: number, period: number) => text.charCodeAt(i) === text.charCodeAt(i - period);
  let best: { start: number; period: number; repeats: number } | undefined;
  for (let period = 1; period <= MAX_PERIOD; period++) {
    // The shortest run of equal positions that can qualify, and a stride that cannot jump over it.
    // Stryker disable next-line MethodExpression,ArithmeticOperator: each variant gives a stride of at most the shortest qualifying run (14 × period or 60 − period), and every such stride samples every qualifying run: only the time changes
    const shortest = Math.max((MIN_PERIOD_REPEATS - 1) * period, MIN_RUN_LENGTH - period);
    // Stryker disable next-line MethodExpression: half the shortest run is at least 10, so the variant's stride of 1 only samples more often
    const stride = Math.max(1, Math.floor(shortest / 2));
    for (let i = period; i < text.length; i += stride) {
      // Stryker disable next-line ArithmeticOperator: a qualifying run that starts before best.start and is first sampled after best.start − period would overlap the shorter-period run by more than both periods, so (Fine and Wilf) that run would start earlier
      if (best && i - period > best.start) break;
      if (!same(i, period)) continue;
      let from = i;
      // charCodeAt before the text's start is NaN, which equals nothing: the run stops there by itself
      while (same(from - 1, period)) from--;
      // Stryker disable next-line ArithmeticOperator: starting one short only misses a run whose first position is sampled, and the next sample, half a qualifying run later, is still inside it
      let to = i + 1;
      // charCodeAt past the end is NaN too
      while (same(to, period)) to++;
      const repeats = 1 + Math.floor((to - from) / period);
      const start = from - period;
      if (repeats >= MIN_PERIOD_REPEATS && repeats * period >= MIN_RUN_LENGTH) {
        if (!best || start < best.start) best = { start, period, repeats };
        break;
      }
      // Stryker disable next-line MethodExpression,ArithmeticOperator: each variant resamples inside the run just read or resumes within two strides after it, and a qualifying run is at least two strides long
      i = Math.max(to - stride + 1, i);
    }
  }
  return best;
}
