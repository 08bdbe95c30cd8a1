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
    const line = mostRepeatedLine(text);
    if (line && line.count >= MIN_LINE_REPEATS && !REFRAIN_TASK.test(failure.inputText)) {
      return {
        summary: `The same line appears ${line.count} times.`,
        evidence: `Repeated ${line.count}×: "${line.text.slice(0, 200)}"`,
        confidence: 0.85,
      };
    }
    const restated = restatedLines(text);
    if (restated && !REFRAIN_TASK.test(failure.inputText)) {
      return {
        summary: `${restated.count} of ${restated.lines} lines restate an earlier line word for word.`,
        evidence: `For example, "${restated.example.slice(0, 200)}"`,
        confidence: 0.8,
      };
    }
    const template = TEMPLATES.map((t) => repeatedTemplate(text, t)).find((t) => t);
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

function restatedLines(text: string): { count: number; lines: number; example: string } | undefined {
  const lines = proseOf(text)
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

function mostRepeatedLine(text: string): { text: string; count: number } | undefined {
  const counts = new Map<string, number>();
  for (const raw of proseOf(text).split('\n')) {
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
    .split(/\s+/)
    .filter((w) => w !== '');
  if (words.length < MIN_WORDS) return undefined;
  const positions = new Map<string, number[]>();
  for (let i = 0; i + SHINGLE <= words.length; i++) {
    const key = words.slice(i, i + SHINGLE).join(' ');
    const list = positions.get(key);
    if (list) list.push(i);
    else positions.set(key, [i]);
  }
  const covered = new Uint8Array(words.length);
  let best: { text: string; count: number } | undefined;
  for (const [key, list] of positions) {
    if (list.length < 3) continue;
    for (const start of list) covered.fill(1, start, start + SHINGLE);
    if (!best || list.length > best.count) best = { text: key, count: list.length };
  }
  const share = covered.reduce((sum, v) => sum + v, 0) / words.length;
  return best && best.count >= MIN_PHRASE_REPEATS && share >= MIN_REPEATED_SHARE ? { ...best, share } : undefined;
}

/**
 * Lines (and sentences) are grouped by their first `words` words (numbers ignored); a loop is a group of at
 * least MIN_TEMPLATE_REPEATS units that holds `share` of all the output's units.
 */
function repeatedTemplate(
  text: string,
  { words, share, sentences }: { words: number; share: number; sentences: boolean },
): { prefix: string; example: string; count: number; units: number } | undefined {
  const units = proseOf(text)
    .split(sentences ? /\n+|(?<=[.!?])\s+(?=[A-Z])/ : /\n+/)
    .map(stripNumbering)
    .filter((u) => u.split(/\s+/).length > words);
  const groups = new Map<string, string[]>();
  for (const unit of units) {
    const prefix = unit
      .toLowerCase()
      .replace(/\d+(?:\.\d+)?/g, '#')
      .split(/\s+/)
      .slice(0, words)
      .join(' ');
    const group = groups.get(prefix);
    if (group) group.push(unit);
    else groups.set(prefix, [unit]);
  }
  let best: { prefix: string; example: string; count: number; units: number } | undefined;
  for (const [prefix, group] of groups) {
    // "s(#, #) = # * s(#," is a recursion written out, not wording.
    if ((prefix.match(/[a-z]{2,}/g) ?? []).length < 2) continue;
    if (!best || group.length > best.count) best = { prefix, example: group[0], count: group.length, units: units.length };
  }
  return best && best.count >= MIN_TEMPLATE_REPEATS && best.count >= share * best.units ? best : undefined;
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
export function periodicRun(
  text: string,
  maxPeriod = 40,
  minRepeats = 15,
  minLength = 60,
): { start: number; period: number; repeats: number } | undefined {
  const same = (i: number, period: number) => text.charCodeAt(i) === text.charCodeAt(i - period);
  let best: { start: number; period: number; repeats: number } | undefined;
  for (let period = 1; period <= maxPeriod; period++) {
    // The shortest run of equal positions that can qualify, and a stride that cannot jump over it.
    const shortest = Math.max((minRepeats - 1) * period, minLength - period);
    const stride = Math.max(1, Math.floor(shortest / 2));
    for (let i = period; i < text.length; i += stride) {
      if (best && i - period > best.start) break;
      if (!same(i, period)) continue;
      let from = i;
      while (from - 1 >= period && same(from - 1, period)) from--;
      let to = i + 1;
      while (to < text.length && same(to, period)) to++;
      const repeats = 1 + Math.floor((to - from) / period);
      const start = from - period;
      if (repeats >= minRepeats && repeats * period >= minLength) {
        if (!best || start < best.start) best = { start, period, repeats };
        break;
      }
      i = to - stride + 1 > i ? to - stride + 1 : i;
    }
  }
  return best;
}
