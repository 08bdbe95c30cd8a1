// Measures each detector's precision and recall on the hand labels in labels/detector-labels.jsonl:
//   npx tsx scripts/detector-precision.ts [dataDir]      (default: ../shared/data next to the repo)
// Contexts are built as the pipeline builds them (bench/detector-cases.ts). hard_example is computed from
// scores alone, so it is not labelled; every other detector is.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { caseKey, loadDetectorCases } from '../bench/detector-cases.js';
import { allDetectors, detectFailure } from '../src/detect/run-detectors.js';

const labelSchema = z.object({
  dataset: z.string(),
  example_id: z.string(),
  model: z.string(),
  expected: z.array(z.string()),
  note: z.string(),
});
const UNLABELLED = new Set(['hard_example']);

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataArg = process.argv.slice(2).find((a) => !a.startsWith('--'));
const dataDir = resolve(dataArg ?? join(repo, '../shared/data'));
const verbose = process.argv.includes('--verbose');
const labels = readFileSync(join(repo, 'labels/detector-labels.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line, i) => {
    const parsed = labelSchema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`labels line ${i + 1}: ${parsed.error.message}`);
    return parsed.data;
  });

const cases = new Map((await loadDetectorCases(dataDir)).map((c) => [caseKey(c.failure), c]));
const counts = new Map<string, { tp: number; fp: number; fn: number }>();
const tally = (name: string) => {
  const entry = counts.get(name) ?? { tp: 0, fp: 0, fn: 0 };
  counts.set(name, entry);
  return entry;
};
for (const d of allDetectors) if (!UNLABELLED.has(d.name)) tally(d.name);

for (const label of labels) {
  const ctx = cases.get(caseKey({ dataset: label.dataset, exampleId: label.example_id, model: label.model }));
  if (!ctx) throw new Error(`labelled failure not found in the data: ${label.dataset} ${label.example_id} ${label.model}`);
  const fired = new Set(
    detectFailure(ctx)
      .map((f) => f.detector)
      .filter((n) => !UNLABELLED.has(n)),
  );
  const expected = new Set(label.expected);
  for (const name of new Set([...fired, ...expected])) {
    const entry = tally(name);
    if (fired.has(name) && expected.has(name)) entry.tp++;
    else if (fired.has(name)) entry.fp++;
    else entry.fn++;
    if (verbose && fired.has(name) !== expected.has(name)) {
      console.log(`${fired.has(name) ? 'FP' : 'FN'} ${name}: ${label.dataset} ${label.example_id} ${label.model} — ${label.note}`);
    }
  }
}

const mechanical = new Set(allDetectors.filter((d) => d.mechanical).map((d) => d.name));
const ratio = (a: number, b: number) => (b === 0 ? '  n/a' : (a / b).toFixed(2).padStart(5));
console.log(`labels: ${labels.length} failures (${[...new Set(labels.map((l) => l.dataset))].join(', ')})`);
console.log(`${'detector'.padEnd(30)} mech  precision  recall   TP   FP   FN`);
for (const [name, { tp, fp, fn }] of counts) {
  console.log(
    `${name.padEnd(30)} ${mechanical.has(name) ? 'yes ' : 'no  '}  ${ratio(tp, tp + fp)}     ${ratio(tp, tp + fn)}  ${String(tp).padStart(4)} ${String(fp).padStart(4)} ${String(fn).padStart(4)}`,
  );
}
const sum = (pick: (c: { tp: number; fp: number; fn: number }) => number, names: string[]) =>
  names.reduce((s, n) => s + pick(counts.get(n) ?? { tp: 0, fp: 0, fn: 0 }), 0);
const mech = [...mechanical].filter((n) => counts.has(n));
const tp = sum((c) => c.tp, mech);
const fp = sum((c) => c.fp, mech);
const fn = sum((c) => c.fn, mech);
console.log(
  `${'all mechanical (micro)'.padEnd(30)}       ${ratio(tp, tp + fp)}     ${ratio(tp, tp + fn)}  ${String(tp).padStart(4)} ${String(fp).padStart(4)} ${String(fn).padStart(4)}`,
);
