// Measures each detector's precision and recall on the labels (npm run bench:detectors):
//   npx tsx scripts/detector-precision.ts [dataDir] [--set tuning|heldout|both] [--verbose] [--write]
// tuning  = labels/detector-labels.jsonl + labels/constructed-tuning.jsonl (detectors were tuned on these)
// heldout = labels/detector-labels-heldout.jsonl + labels/constructed-heldout.jsonl (never tuned on)
// Default: heldout. Prints precision [Wilson 95%], recall and TP/FP/FN per detector, then per answer
// style and per dataset family. --write stores the held-out figures beside the detector definitions
// (src/detect/measured-precision.ts), which decide what --precheck may do with each detector.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { caseKey, failureContexts, LABEL_DATASETS } from '../bench/detector-cases.js';
import {
  constructedCases,
  type LabelledCase,
  realCases,
  type Scored,
  scoreCases,
  sumTallies,
  type Tally,
} from '../bench/detector-scoring.js';
import { wilsonInterval } from '../src/chart/proportions.js';
import { allDetectors } from '../src/detect/run-detectors.js';
import { isScored } from '../src/ingest/prediction.js';
import { collectInputs } from '../src/ingest/read-inputs.js';

const UNLABELLED = new Set(['hard_example']);
const SETS = {
  tuning: ['labels/detector-labels.jsonl', 'labels/constructed-tuning.jsonl'],
  heldout: ['labels/detector-labels-heldout.jsonl', 'labels/constructed-heldout.jsonl'],
} as const;
type SetName = keyof typeof SETS;

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const setFlag = args.includes('--set') ? args[args.indexOf('--set') + 1] : 'heldout';
if (setFlag !== 'both' && !(setFlag in SETS)) {
  console.error(`--set must be tuning, heldout or both (got ${setFlag})`);
  process.exit(2);
}
const chosen: SetName[] = setFlag === 'both' ? ['tuning', 'heldout'] : [setFlag as SetName];
const dataArg = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--set');
const dataDir = resolve(dataArg ?? join(repo, '../shared/data'));
const verbose = args.includes('--verbose');

const { predictions } = await collectInputs(LABEL_DATASETS.map((d) => join(dataDir, d, `${d}.csv`)));
const contexts = new Map(failureContexts(predictions.filter(isScored)).map((c) => [caseKey(c.failure), c]));
const names = allDetectors.map((d) => d.name);
const mechanical = allDetectors.filter((d) => d.mechanical && !UNLABELLED.has(d.name)).map((d) => d.name);

function loadSet(set: SetName): LabelledCase[] {
  const [real, constructed] = SETS[set];
  return [...realCases(join(repo, real), contexts), ...constructedCases(join(repo, constructed), contexts)];
}

const ratio = (a: number, b: number) => (b === 0 ? '  n/a' : (a / b).toFixed(2).padStart(5));
const interval = (a: number, b: number) => {
  if (b === 0) return '            ';
  const { low, high } = wilsonInterval(a, b);
  return `[${low.toFixed(2)}, ${high.toFixed(2)}]`;
};
const row = (name: string, { tp, fp, fn }: Tally, width = 30) =>
  `${name.padEnd(width)} ${ratio(tp, tp + fp)} ${interval(tp, tp + fp)}  ${ratio(tp, tp + fn)} ${interval(tp, tp + fn)}  ${String(tp).padStart(4)} ${String(fp).padStart(4)} ${String(fn).padStart(4)}`;
const header = (first: string, width = 30) => `${first.padEnd(width)} precision [95% CI]   recall [95% CI]       TP   FP   FN`;

function printSet(title: string, cases: LabelledCase[], scored: Scored): Scored {
  console.log(`\n== ${title}: ${cases.length} cases, ${scored.firings} labelled firings`);
  console.log(header('detector'));
  for (const [name, tally] of scored.counts) console.log(row(`${name}${mechanical.includes(name) ? ' (mech)' : ''}`, tally));
  console.log(row('all mechanical (micro)', sumTallies(scored.counts, mechanical)));
  console.log(row('all labelled (micro)', sumTallies(scored.counts, scored.counts.keys())));
  // Real outputs alone: the constructed cases come from the same generators on both sides of the split.
  const real = cases.filter((c) => c.style.endsWith('real outputs'));
  const realScore = scoreCases(real, names, UNLABELLED);
  console.log(`\n-- real benchmark outputs only: ${real.length} cases, ${realScore.firings} labelled firings`);
  console.log(header('detector'));
  for (const [name, tally] of realScore.counts) if (tally.tp + tally.fp + tally.fn > 0) console.log(row(name, tally));
  console.log(row('all mechanical (micro)', sumTallies(realScore.counts, mechanical)));
  console.log(row('all labelled (micro)', sumTallies(realScore.counts, realScore.counts.keys())));
  for (const [label, groups] of [
    ['answer style', scored.byStyle],
    ['dataset family', scored.byFamily],
  ] as const) {
    console.log(`\n-- by ${label} (micro over all labelled detectors; then each detector with a firing or a miss)`);
    console.log(header(label, 44));
    for (const [group, counts] of groups) {
      const n = cases.filter((c) => (label === 'answer style' ? c.style : c.family) === group).length;
      console.log(row(`${group} (${n})`, sumTallies(counts, counts.keys()), 44));
      for (const [name, t] of counts) if (t.tp + t.fp + t.fn > 0) console.log(row(`  ${name}`, t, 44));
    }
  }
  if (verbose) for (const d of scored.disagreements) console.log(`  ${d.kind} ${d.detector}: ${d.label.id} — ${d.label.note}`);
  return realScore;
}

let heldoutScore: Scored | undefined;
let heldoutReal: Scored | undefined;
for (const set of chosen) {
  const cases = loadSet(set);
  const scored = scoreCases(cases, names, UNLABELLED);
  const real = printSet(set === 'tuning' ? 'tuning split (in-sample)' : 'held-out split (never tuned on)', cases, scored);
  if (set === 'heldout') [heldoutScore, heldoutReal] = [scored, real];
}

if (args.includes('--write')) {
  if (!heldoutScore) throw new Error('--write needs the held-out split (--set heldout or both)');
  const entries = [...heldoutScore.counts].map(([name, { tp, fp, fn }]) => {
    const { low, high } = wilsonInterval(tp, tp + fp);
    const r = (x: number) => Math.round(x * 1000) / 1000;
    const real = heldoutReal?.counts.get(name) ?? { tp: 0, fp: 0, fn: 0 };
    const realFirings = real.tp + real.fp;
    return `  ${name}: { firings: ${tp + fp}, precision: ${tp + fp ? r(tp / (tp + fp)) : 'null'}, low: ${r(low)}, high: ${r(high)}, recall: ${tp + fn ? r(tp / (tp + fn)) : 'null'}, positives: ${tp + fn}, realFirings: ${realFirings}, realPrecision: ${realFirings ? r(real.tp / realFirings) : 'null'} },`;
  });
  const file = `// Written by \`npm run bench:detectors -- --write\` from the held-out label split; do not edit by hand.
// Shape: MeasuredPrecision in detector-calibration.ts, which checks it where it reads it.
export const measuredPrecision = {
${entries.join('\n')}
};
`;
  const target = join(repo, 'src/detect/measured-precision.ts');
  writeFileSync(target, file);
  // Formatted as the rest of the code, so a rewrite with unchanged figures changes no byte.
  execFileSync(join(repo, 'node_modules/.bin/biome'), ['format', '--write', target], { stdio: 'ignore' });
  console.log('\nwrote src/detect/measured-precision.ts');
}
