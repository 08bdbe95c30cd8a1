import { cleanOutput } from './answer-extraction.js';
import { defineDetector, isBlank } from './detector-definition.js';

const MIN_LINE_LENGTH = 15;
const MIN_LINE_REPEATS = 5;
/** Refrains are expected in songs and poems, so repeated lines say nothing there. */
const REFRAIN_TASK = /\b(?:song|lyrics|poem|chant|rap|verse|chorus)\b/i;
const SHINGLE = 8;
const MIN_WORDS = 80;
/** Share of words inside 8-word sequences that occur at least three times. */
const MIN_REPEATED_SHARE = 0.75;
const MIN_PHRASE_REPEATS = 8;

export const repetitionLoop = defineDetector(
  {
    name: 'repetition_loop',
    family: 'No usable answer',
    title: 'Repetition loop',
    description: 'The model repeats the same line or phrase over and over instead of progressing.',
    mechanical: true,
  },
  ({ failure }) => {
    if (isBlank(failure.outputText)) return null;
    const text = cleanOutput(failure.outputText);
    const chars = /(.{1,40}?)\1{14,}/s.exec(text);
    if (chars && chars[0].length >= 60) {
      return {
        summary: `The same ${chars[1].length}-character sequence repeats ${Math.floor(chars[0].length / chars[1].length)} times in a row.`,
        evidence: `"${chars[0].slice(0, 160)}…"`,
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

function mostRepeatedLine(text: string): { text: string; count: number } | undefined {
  const counts = new Map<string, number>();
  for (const raw of text.split('\n')) {
    // List numbering differs between repeats ("1. Describe…", "3. Describe…"), so it is ignored.
    const line = raw.trim().replace(/^(?:[-*•]|\d+[.)])\s*/, '');
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
