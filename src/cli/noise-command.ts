import type { Command } from 'commander';
import { findNoiseCandidates, type HardExample, type JudgedCorrectFailure, type NoiseCandidates } from '../chart/noise.js';
import { ConfigError } from '../errors.js';
import { loadExampleOutcomes } from '../store/example-outcomes.js';
import { loadRunData } from '../store/run-data.js';
import { positiveInt } from './chart-flags.js';
import { printJsonOrText } from './print-result.js';
import { percent } from './table.js';

interface NoiseFlags {
  minFailShare: string;
  minModels: string;
  limit: string;
  json?: boolean;
}

/** Longest excerpt of an input, output or reference printed as evidence (the JSON holds the full text). */
const EXCERPT = 160;
const HEAD = 50;

/**
 * One line of evidence. Long texts keep their start and their end: benchmark prompts often open with
 * the same instructions and put the question, and answers their conclusion, last.
 */
export function excerpt(text: string | undefined): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  if (flat === '') return '(empty)';
  if (flat.length <= EXCERPT) return flat;
  return `${flat.slice(0, HEAD).trimEnd()} … ${flat.slice(flat.length - (EXCERPT - HEAD - 3)).trimStart()}`;
}

function hardExampleLines(e: HardExample): string[] {
  const lines = [`${e.dataset}/${e.exampleId}: failed by ${e.failedModels.length} of ${e.models} models (${percent(e.failShare)})`];
  lines.push(`    input:     ${excerpt(e.input)}`);
  if (e.reference !== undefined) lines.push(`    reference: ${excerpt(e.reference)}`);
  if (e.analyses.length === 0) lines.push('    judge:     none of these failures was sampled for analysis');
  for (const a of e.analyses) {
    const said = a.errorTitle === undefined ? 'not analysed' : a.hasError === false ? `no error found: ${a.errorTitle}` : a.errorTitle;
    lines.push(`    judge on ${a.model}: ${said}`);
  }
  for (const f of e.findings) lines.push(`    detector ${f.detector}: ${f.title} (${excerpt(f.evidence)})`);
  return lines;
}

function judgedCorrectLines(f: JudgedCorrectFailure): string[] {
  const lines = [`${f.dataset}/${f.exampleId} by ${f.model}: ${f.errorTitle}`];
  lines.push(`    judge:     ${excerpt(f.errorSummary)}`);
  lines.push(`    input:     ${excerpt(f.input)}`);
  if (f.reference !== undefined) lines.push(`    reference: ${excerpt(f.reference)}`);
  lines.push(`    output:    ${excerpt(f.output)}`);
  for (const x of f.findings) lines.push(`    detector ${x.detector}: ${x.title} (${excerpt(x.evidence)})`);
  return lines;
}

function section<T>(title: string, items: readonly T[], limit: number, render: (item: T) => string[], empty: string): string[] {
  const lines = ['', `${title}: ${items.length}`];
  if (items.length === 0) return [...lines, `  ${empty}`];
  for (const item of items.slice(0, limit)) lines.push(...render(item).map((l, i) => (i === 0 ? `  ${l}` : l)));
  if (items.length > limit) lines.push(`  … ${items.length - limit} more (--limit or --json lists them)`);
  return lines;
}

/** The text printed by `errormap noise`. */
export function noiseText(n: NoiseCandidates, options: { minFailShare: number; minModels: number; limit: number }): string {
  const lines = [
    'Suspected benchmark noise: items to check by hand (a wrong or ambiguous reference, or a scorer that rejects right answers).',
  ];
  lines.push(
    ...section(
      `Examples failed by at least ${percent(options.minFailShare)} of the models (of ${options.minModels} or more models evaluated)`,
      n.hardExamples,
      options.limit,
      hardExampleLines,
      'none: no example is failed by that many models',
    ),
  );
  lines.push(
    ...section(
      'Failures in which the judge found no error',
      n.judgedCorrect,
      options.limit,
      judgedCorrectLines,
      'none: the judge found an error in every analysed failure',
    ),
  );
  return `${lines.join('\n')}\n`;
}

/** `errormap noise RUN [--min-fail-share 0.8] [--min-models 3] [--limit 10] [--json]` */
export function registerNoiseCommand(program: Command): void {
  program
    .command('noise')
    .description(
      'Suspected benchmark noise: examples most models fail, and failures in which the judge found no error, with the evidence to check them',
    )
    .argument('<run>', 'run directory written by `errormap run`')
    .option('--min-fail-share <share>', 'share of the models that must fail an example (0 < share ≤ 1)', '0.8')
    .option('--min-models <n>', 'fewest models evaluated on an example before it can count', '3')
    .option('--limit <n>', 'items printed per list (the JSON holds all)', '10')
    .option('--json', 'print every candidate as JSON, with full texts')
    .action((dir: string, flags: NoiseFlags) => {
      const minFailShare = Number(flags.minFailShare);
      if (!(minFailShare > 0 && minFailShare <= 1))
        throw new ConfigError(`--min-fail-share ${flags.minFailShare}: expected a share above 0 and at most 1`);
      const minModels = positiveInt('--min-models', flags.minModels);
      const limit = positiveInt('--limit', flags.limit);
      const candidates = findNoiseCandidates(loadRunData(dir), loadExampleOutcomes(dir), { minFailShare, minModels });
      printJsonOrText(
        flags.json,
        () => ({ minFailShare, minModels, ...candidates }),
        () => noiseText(candidates, { minFailShare, minModels, limit }),
      );
    });
}
