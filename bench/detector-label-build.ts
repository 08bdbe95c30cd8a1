// Builds the constructed label sets (labels/constructed-*.jsonl) from the shared benchmark outputs and from
// cases written for this project, with the truth known from the construction (see labels/README.md):
//   npx tsx bench/detector-label-build.ts [dataDir]
// Deterministic: selection and every choice come from sha256 of the case's source key and a salt.
// It was run once, and the split written and committed, before any detector change that followed.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isScored, type Prediction } from '../src/ingest/prediction.js';
import { collectInputs } from '../src/ingest/read-inputs.js';
import { caseKey, datasetThresholds, LABEL_DATASETS, type ScoredPrediction } from './detector-cases.js';
import type { ConstructedCase } from './detector-constructed.js';
import { inventedCases } from './detector-invented.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = resolve(process.argv[2] ?? join(repo, '../shared/data'));
const SALT = 'constructed-v1';
const HELDOUT_SHARE = 0.4;
const EOT_TOKENS = ['</s>', '<|eot_id|>', '<|im_end|>', '<|endoftext|>'];

const hash = (text: string) => createHash('sha256').update(`${SALT}|${text}`).digest();
const pick = <T>(items: readonly T[], key: string): T => items[hash(key).readUInt32BE(0) % items.length];
const byHash = <T>(items: T[], key: (item: T) => string) => [...items].sort((a, b) => Buffer.compare(hash(key(a)), hash(key(b))));

const files = LABEL_DATASETS.map((d) => join(dataDir, d, `${d}.csv`));
const predictions = (await collectInputs(files)).predictions.filter(isScored);
const thresholds = datasetThresholds(predictions);
const correct = (p: ScoredPrediction) => p.score >= (thresholds.get(p.dataset) ?? 1);
const src = (p: Prediction) => ({ dataset: p.dataset, example_id: p.exampleId, model: p.model });
const lines = (text: string) => text.replace(/\s+$/, '').split('\n');

const cases: ConstructedCase[] = [];
const add = (c: ConstructedCase) => cases.push(c);

// ---- multiple choice written in other label conventions (real MMLU-Pro outputs, last line rewritten)
const CONVENTIONS: ReadonlyArray<{ name: string; strict: boolean; line: (letter: string, text: string) => string }> = [
  { name: 'choice_underscore', strict: false, line: (l) => `Solution: Choice_${l}` },
  { name: 'answer_colon', strict: false, line: (l) => `Answer: ${l}` },
  { name: 'bare_parenthesised', strict: false, line: (l) => `(${l})` },
  { name: 'letter_with_text', strict: false, line: (l, t) => `${l}. ${t}` },
  { name: 'option_word', strict: false, line: (l) => `Option ${l} is correct.` },
  { name: 'boxed_letter', strict: false, line: (l) => `Final answer: $\\boxed{${l}}$` },
  { name: 'option_text_only', strict: false, line: (_l, t) => `The correct answer is: ${t}` },
  { name: 'answer_is_bare', strict: true, line: (l) => `The answer is ${l}.` },
  { name: 'answer_is_parenthesised', strict: true, line: (l) => `the answer is (${l})` },
];
const OPTION_LINE = /^(?:Options:\s*)?([A-J])\.\s+(.*\S)\s*$/;
function optionsOf(input: string): Map<string, string> {
  const options = new Map<string, string>();
  for (const line of input.split('\n')) {
    const m = OPTION_LINE.exec(line.trim());
    if (m) options.set(m[1], m[2]);
  }
  return options;
}
/** The output without its final "the answer is (X)" statement, or undefined when it states an answer elsewhere too. */
function withoutFinalAnswer(output: string): { body: string; letter: string } | undefined {
  const all = lines(output);
  const last = all.at(-1) ?? '';
  const m = /the answer is \(([A-J])\)\.?\s*$/i.exec(last);
  if (!m) return undefined;
  const kept = last.slice(0, m.index).trimEnd();
  const body = [...all.slice(0, -1), ...(kept ? [kept] : [])].join('\n').trimEnd();
  if (/answer is|correct (?:answer|option|choice)|\\boxed|answer:/i.test(body)) return undefined;
  if (/\b(?:Choice_|Option) [A-J]\b/.test(body)) return undefined;
  return { body, letter: m[1] };
}
const mmlu = byHash(
  predictions.filter((p) => p.dataset === 'mmlu_pro'),
  (p) => caseKey(p),
);
let mcCount = 0;
for (const p of mmlu) {
  if (mcCount >= 135) break;
  const stripped = withoutFinalAnswer(p.outputText);
  const reference = /^([A-J])\./.exec(p.correctAnswer ?? '')?.[1];
  const options = optionsOf(p.inputText);
  if (!stripped || !reference || options.size < 4) continue;
  const convention = CONVENTIONS[mcCount % CONVENTIONS.length];
  // Half keep the model's own letter, half name another option, so right and wrong picks both occur.
  const keepOwn = hash(`${caseKey(p)}|own`)[0] < 128;
  const letters = [...options.keys()];
  const letter = keepOwn
    ? stripped.letter
    : pick(
        letters.filter((l) => l !== stripped.letter),
        caseKey(p),
      );
  const optionText = options.get(letter) ?? '';
  // Option texts shared by two options cannot name one of them.
  if (convention.name === 'option_text_only' && [...options.values()].filter((t) => t === optionText).length > 1) continue;
  const eot = hash(`${caseKey(p)}|eot`)[0] < 64 ? pick(EOT_TOKENS, caseKey(p)) : '';
  const output = `${stripped.body}\n\n${convention.line(letter, optionText)}${eot}`;
  const right = letter === reference;
  const expected = [
    ...(right ? [] : ['wrong_choice']),
    ...(convention.strict ? [] : ['answer_format_mismatch']),
    ...(right && convention.strict ? ['matches_reference'] : []),
  ];
  add({
    id: `mc-${mcCount}`,
    style: 'multiple choice, label conventions',
    family: 'mmlu_pro',
    source: src(p),
    output,
    expected,
    ignore: ['much_shorter_than_references'],
    note: `last line rewritten as ${convention.name} naming ${letter} (reference ${reference})${eot ? ` + ${eot}` : ''}`,
  });
  mcCount++;
}

// ---- truncated generations: correct real outputs cut at a token limit (true cut-offs)
/** Sub-word pieces of at most four letters, roughly as a BPE tokenizer splits text. */
function tokens(text: string): string[] {
  return text.match(/[A-Za-z]{1,4}|\d{1,3}|\s+|[^A-Za-z\d\s]/g) ?? [];
}
const truncatedPerDataset: Record<string, number> = { mmlu_pro: 45, theoremqa: 45, alpaca_eval: 40, vicuna_bench: 25 };
for (const dataset of LABEL_DATASETS) {
  const pool = byHash(
    predictions.filter((p) => p.dataset === dataset && correct(p) && p.outputText.trim().length > 400),
    (p) => `trunc|${caseKey(p)}`,
  );
  let made = 0;
  for (const p of pool) {
    if (made >= truncatedPerDataset[dataset]) break;
    const pieces = tokens(p.outputText);
    const share = 0.4 + (hash(`share|${caseKey(p)}`)[0] / 255) * 0.45;
    const limit = Math.floor(pieces.length * share);
    const output = pieces.slice(0, limit).join('');
    const required = dataset === 'mmlu_pro' || dataset === 'theoremqa';
    // A cut after an answer was already stated leaves an answer to grade: not what this set is for.
    if (required && /answer is|\\boxed|answer:/i.test(output)) continue;
    const withReason = hash(`reason|${caseKey(p)}`)[0] < 128;
    add({
      id: `trunc-${dataset}-${made}`,
      style: 'truncated at a token limit',
      family: dataset,
      source: src(p),
      output,
      ...(withReason ? { finish_reason: 'length' } : {}),
      expected: ['cut_off', ...(required ? ['no_final_answer'] : [])],
      ignore: ['much_shorter_than_references', 'repetition_loop'],
      note: `correct output cut after ${limit} of ${pieces.length} sub-word tokens${withReason ? '; finish_reason length recorded' : '; no finish_reason'}`,
    });
    made++;
  }
}

// ---- complete outputs that end with an end-of-text token (not cut off)
const eotPerDataset: Record<string, number> = { mmlu_pro: 15, theoremqa: 15, alpaca_eval: 20, vicuna_bench: 15 };
for (const dataset of LABEL_DATASETS) {
  const pool = byHash(
    predictions.filter((p) => p.dataset === dataset && correct(p) && p.outputText.trim() !== ''),
    (p) => `eot|${caseKey(p)}`,
  );
  let made = 0;
  for (const p of pool) {
    if (made >= eotPerDataset[dataset]) break;
    const out = p.outputText.trimEnd();
    // Only outputs that visibly finish: the last line closes a sentence or states the answer.
    if (!/[.!?)\]"*]$/.test(out)) continue;
    if (dataset === 'mmlu_pro' && !/the answer is \([A-J]\)\.?$/i.test(out)) continue;
    if (dataset === 'theoremqa' && !/answer is [-\d.]+\.?$/i.test(out)) continue;
    const token = pick(EOT_TOKENS, `eot|${caseKey(p)}`);
    const required = dataset === 'mmlu_pro' || dataset === 'theoremqa';
    add({
      id: `eot-${dataset}-${made}`,
      style: 'complete, end-of-text token',
      family: dataset,
      source: src(p),
      output: `${out}${token}`,
      expected: required ? ['matches_reference'] : [],
      ignore: ['much_shorter_than_references'],
      note: `a correct output (score ${p.score}) with ${token} appended, filed as a failure`,
    });
    made++;
  }
}

// ---- numeric answers written with LaTeX, units and other notations (TheoremQA outputs, final sentence rewritten)
function withoutFinalSentence(output: string): string | undefined {
  const all = lines(output);
  const last = all.at(-1) ?? '';
  const m = /(?:Therefore|Thus|So|Hence)?,?[^.\n]*answer is[^\n]*$/i.exec(last);
  if (!m) return undefined;
  const kept = last.slice(0, m.index).trimEnd();
  const body = [...all.slice(0, -1), ...(kept ? [kept] : [])].join('\n').trimEnd();
  if (/answer is|\\boxed/i.test(body)) return undefined;
  return body;
}
const numericRef = /^-?\d+(?:\.\d+)?$/;
const theorem = byHash(
  predictions.filter((p) => p.dataset === 'theoremqa' && numericRef.test((p.correctAnswer ?? '').trim())),
  (p) => `num|${caseKey(p)}`,
);
function sigDigits(r: number): number {
  return Math.abs(r).toExponential().split('e')[0].replace('.', '').replace(/0+$/, '').length;
}
function latexForm(v: number, kind: number): string {
  const abs = Math.abs(v);
  if (kind === 0) return `$\\boxed{${v}}$`;
  if (kind === 1 && abs !== 0 && (abs >= 1e4 || abs < 1e-2)) {
    const [m, e] = v.toExponential(3).split('e');
    return `$${Number(m)} \\times 10^{${Number(e)}}$`;
  }
  if (kind === 2) return `$${v}$`;
  if (kind === 3) return `\\(${v}\\)`;
  return `${v}`;
}
/** True when v stands in a relation a numeric detector reports: near, sign, power of ten or unit factor. */
function related(v: number, r: number): boolean {
  if (r === 0 || v === 0) return v === r;
  const ratio = Math.abs(v / r);
  const near = (a: number, b: number) => Math.abs(a - b) / b <= 0.05;
  return [1, 10, 100, 1000, 0.1, 0.01, 0.001, 60, 1 / 60, 1024, 3600, 1 / 3600, 1 / 1024, 1e4, 1e-4].some((f) => near(ratio, f));
}
type Relation = 'equal' | 'sign' | 'power' | 'rounding' | 'near' | 'unrelated' | 'pi_multiple';
const RELATIONS: Relation[] = ['equal', 'sign', 'power', 'rounding', 'near', 'unrelated', 'pi_multiple'];
let numCount = 0;
for (const p of theorem) {
  if (numCount >= 105) break;
  const body = withoutFinalSentence(p.outputText);
  if (!body) continue;
  const r = Number(p.correctAnswer?.trim());
  const relation = RELATIONS[numCount % RELATIONS.length];
  let value: number;
  let expected: string[];
  let written: string | undefined;
  if (relation === 'equal') {
    value = r;
    expected = ['matches_reference'];
  } else if (relation === 'sign') {
    if (r === 0) continue;
    value = -r;
    expected = ['sign_error'];
  } else if (relation === 'power') {
    if (r === 0 || sigDigits(r) < 2) continue;
    value = Number((r * pick([1000, 0.01, 100, 0.001], caseKey(p))).toPrecision(12));
    expected = ['power_of_ten'];
  } else if (relation === 'rounding') {
    if (sigDigits(r) < 3) continue;
    // More digits than the reference: the reference is the answer rounded (3.4167 for 3.42).
    value = Number((r * (1 + 0.0004)).toPrecision(sigDigits(r) + 2));
    if (Number(value.toPrecision(sigDigits(r))) !== r) continue;
    expected = ['rounding'];
  } else if (relation === 'near') {
    if (r === 0 || Number.isInteger(r)) continue;
    value = Number((r * 1.03).toPrecision(Math.max(3, sigDigits(r))));
    expected = ['near_miss'];
  } else if (relation === 'unrelated') {
    value = Number((r * 1.7 + 3).toPrecision(4));
    expected = [];
  } else {
    // "50π Hz" against a reference of 50: equal digits, another value.
    if (r === 0) continue;
    value = r * Math.PI;
    written = `$${r}\\pi$ ${pick(['Hz', 'rad/s', 'm', ''], caseKey(p))}`.trim();
    expected = [];
  }
  if ((relation === 'unrelated' || relation === 'pi_multiple') && related(value, r)) continue;
  const form = written ?? latexForm(value, numCount % 5);
  const unit = written ? '' : pick(['', '', ' m/s', ' J', ' Hz', ' units'], `unit|${caseKey(p)}`);
  add({
    id: `num-${numCount}`,
    style: 'free numeric, LaTeX and units',
    family: 'theoremqa',
    source: src(p),
    output: `${body}\n\nTherefore, the answer is ${form}${unit}.`,
    expected,
    ignore: ['much_shorter_than_references', 'answer_format_mismatch'],
    note: `final sentence rewritten: ${relation} (${form}${unit}) against reference ${p.correctAnswer}`,
  });
  numCount++;
}

// ---- expression answers, "undefined", and values quoted beside another quantity
// An expression where a number was asked for is no final answer in the requested form (no_final_answer), the
// rule the hand labels of real failures follow (labels/README.md); the value of a closed form is evidence.
const EXPRESSION_KINDS = ['closed_product', 'closed_power', 'symbolic', 'undefined', 'quantity_beside', 'factorial_ratio'] as const;
let exprCount = 0;
for (const p of byHash(theorem, (q) => `expr|${caseKey(q)}`)) {
  if (exprCount >= 72) break;
  const body = withoutFinalSentence(p.outputText);
  if (!body) continue;
  const r = Number(p.correctAnswer?.trim());
  const kind = EXPRESSION_KINDS[exprCount % EXPRESSION_KINDS.length];
  let final: string;
  let expected: string[];
  let note: string;
  if (kind === 'closed_product') {
    final = `Therefore, the answer is ${r === 0 ? '0*7' : `${Number((r / 4).toPrecision(10))}*4`}.`;
    expected = ['no_final_answer'];
    note = 'an unevaluated product equal to the reference where a number was asked for';
  } else if (kind === 'closed_power') {
    final = `Therefore, the answer is 500*(1+0.08)^${10 + (exprCount % 50)}.`;
    expected = ['no_final_answer'];
    note = 'an unevaluated compound-interest expression where a number was asked for';
  } else if (kind === 'symbolic') {
    final = `Therefore, the answer is ${pick(['\\frac{x^2+1}{2x}', 'ln(1+sqrt(3)) + k', '2\\pi r h', 'n(n+1)/2'], caseKey(p))}.`;
    expected = ['no_final_answer'];
    note = 'a symbolic expression with free variables where a number was asked for';
  } else if (kind === 'undefined') {
    final = `Therefore, ${pick(["g'(1) is undefined", 'the limit does not exist', 'there is no solution', 'f(2) is undefined'], caseKey(p))}.`;
    expected = [];
    note = 'answers that the quantity does not exist: a wrong answer, not a number and not a format slip';
  } else if (kind === 'quantity_beside') {
    // The asked value is stated beside another quantity that equals the reference.
    final = `Therefore, p(${r}) ≈ ${Number((r * 1.75 + 1).toPrecision(3))}.`;
    expected = [];
    note = 'the reference value appears only as an argument, p(r) ≈ v';
  } else {
    if (related(420, r) || r === 420) continue;
    final = 'Therefore, the answer is 7! / 12 ways.';
    expected = ['no_final_answer'];
    note = 'an unevaluated factorial ratio (420) where a number was asked for';
  }
  if (kind === 'closed_power' && related(500 * 1.08 ** (10 + (exprCount % 50)), r)) continue;
  if (kind === 'quantity_beside' && related(Number((r * 1.75 + 1).toPrecision(3)), r)) continue;
  add({
    id: `expr-${exprCount}`,
    style: 'expression answers',
    family: 'theoremqa',
    source: src(p),
    output: `${body}\n\n${final}`,
    expected,
    ignore: ['much_shorter_than_references', 'matches_reference'],
    note: `${kind}: ${note} (reference ${p.correctAnswer})`,
  });
  exprCount++;
}

for (const c of inventedCases()) add(c);

// ---- the split, written before any detector was changed
const heldout = cases.filter((c) => hash(`split|${c.id}`)[0] < HELDOUT_SHARE * 256);
const tuning = cases.filter((c) => !heldout.includes(c));
const write = (name: string, rows: ConstructedCase[]) =>
  writeFileSync(join(repo, 'labels', name), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
write('constructed-tuning.jsonl', tuning);
write('constructed-heldout.jsonl', heldout);
const styles = new Map<string, number>();
for (const c of cases) styles.set(c.style, (styles.get(c.style) ?? 0) + 1);
console.log(`${cases.length} cases (${tuning.length} tuning, ${heldout.length} held-out)`);
for (const [style, n] of styles) console.log(`  ${style}: ${n}`);
