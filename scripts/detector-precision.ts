// Measures each detector's precision and recall on the hand labels:
//   npx tsx scripts/detector-precision.ts [dataDir] [--set tuning|heldout|both] [--verbose]
// tuning  = labels/detector-labels.jsonl (the detectors were tuned on it: in-sample figures)
// heldout = labels/detector-labels-heldout.jsonl (labelled before any change made after it: out-of-sample)
// both (default) prints both tables and the two sets pooled. Mechanical detectors' micro precision comes
// with a Wilson 95% interval. Contexts are built as the pipeline builds them (bench/detector-cases.ts).
// hard_example is computed from scores alone, so it is not labelled; every other detector is.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { caseKey, loadDetectorCases } from '../bench/detector-cases.js';
import { type DetectorLabel, readLabels, scoreLabels, sumTallies, type Tally } from '../bench/detector-scoring.js';
import { wilsonInterval } from '../src/chart/proportions.js';
import { allDetectors } from '../src/detect/run-detectors.js';

const UNLABELLED = new Set(['hard_example']);
const SETS = { tuning: 'labels/detector-labels.jsonl', heldout: 'labels/detector-labels-heldout.jsonl' } as const;
type SetName = keyof typeof SETS;

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const setFlag = args.includes('--set') ? args[args.indexOf('--set') + 1] : 'both';
if (setFlag !== 'both' && !(setFlag in SETS)) throw new Error(`--set must be tuning, heldout or both (got ${setFlag})`);
const chosen: SetName[] = setFlag === 'both' ? ['tuning', 'heldout'] : [setFlag as SetName];
const dataArg = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--set');
const dataDir = resolve(dataArg ?? join(repo, '../shared/data'));
const verbose = args.includes('--verbose');

const cases = new Map((await loadDetectorCases(dataDir)).map((c) => [caseKey(c.failure), c]));
const names = allDetectors.map((d) => d.name);
const mechanical = allDetectors.filter((d) => d.mechanical && !UNLABELLED.has(d.name)).map((d) => d.name);

const ratio = (a: number, b: number) => (b === 0 ? '  n/a' : (a / b).toFixed(2).padStart(5));
const interval = (a: number, b: number) => {
  if (b === 0) return '             ';
  const { low, high } = wilsonInterval(a, b);
  return `[${low.toFixed(2)}, ${high.toFixed(2)}]`;
};
const row = (name: string, mech: string, { tp, fp, fn }: Tally) =>
  `${name.padEnd(30)} ${mech}  ${ratio(tp, tp + fp)} ${interval(tp, tp + fp)}  ${ratio(tp, tp + fn)}  ${String(tp).padStart(4)} ${String(fp).padStart(4)} ${String(fn).padStart(4)}`;

function printTable(title: string, labels: DetectorLabel[], counts: Map<string, Tally>) {
  console.log(`\n== ${title}: ${labels.length} failures (${[...new Set(labels.map((l) => l.dataset))].join(', ')})`);
  console.log(`${'detector'.padEnd(30)} mech  precision [95% CI]   recall   TP   FP   FN`);
  for (const [name, tally] of counts) console.log(row(name, mechanical.includes(name) ? 'yes ' : 'no  ', tally));
  console.log(row('all mechanical (micro)', '    ', sumTallies(counts, mechanical)));
  console.log(row('all labelled (micro)', '    ', sumTallies(counts, counts.keys())));
}

const pooled = new Map<string, Tally>();
const pooledLabels: DetectorLabel[] = [];
for (const set of chosen) {
  const labels = readLabels(join(repo, SETS[set]));
  const { counts, disagreements } = scoreLabels(labels, cases, names, UNLABELLED);
  printTable(set === 'tuning' ? 'tuning set (in-sample)' : 'held-out set (out-of-sample)', labels, counts);
  if (verbose) {
    for (const d of disagreements)
      console.log(`  ${d.kind} ${d.detector}: ${d.label.dataset} ${d.label.example_id} ${d.label.model} — ${d.label.note}`);
  }
  pooledLabels.push(...labels);
  for (const [name, t] of counts) {
    const p = pooled.get(name) ?? { tp: 0, fp: 0, fn: 0 };
    pooled.set(name, { tp: p.tp + t.tp, fp: p.fp + t.fp, fn: p.fn + t.fn });
  }
}
if (chosen.length > 1) printTable('both sets pooled (partly in-sample)', pooledLabels, pooled);
