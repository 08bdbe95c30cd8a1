// Records which detectors fire on every failure, or compares against such a record, to review what a
// detector change adds or drops across the whole data, not just the labels:
//   npx tsx bench/detector-diff.ts --save /tmp/before.json [dataDir]
//   npx tsx bench/detector-diff.ts --compare /tmp/before.json [--detector NAME] [dataDir]
// Failures in labels/detector-labels-heldout.jsonl are skipped, so reviewing the diff never peeks at the
// held-out set.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanOutput } from '../src/detect/answer-extraction.js';
import { detectFailure } from '../src/detect/run-detectors.js';
import { caseKey, loadDetectorCases } from './detector-cases.js';
import { labelledKeys } from './label-sample.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const flagValues = new Set(['--save', '--compare', '--detector'].map(flag));
const dataDir = args.find((a) => !a.startsWith('--') && !flagValues.has(a)) ?? join(repo, '../shared/data');
const heldout = labelledKeys(join(repo, 'labels/detector-labels-heldout.jsonl'));

const fired: Record<string, string[]> = {};
const outputs = new Map<string, string>();
for (const ctx of await loadDetectorCases(dataDir)) {
  const key = caseKey(ctx.failure);
  if (heldout.has(key)) continue;
  fired[key] = detectFailure(ctx).map((f) => f.detector);
  outputs.set(key, cleanOutput(ctx.failure.outputText));
}
const save = flag('--save');
const compare = flag('--compare');
if (save) writeFileSync(save, JSON.stringify(fired));
if (compare) {
  const before = JSON.parse(readFileSync(compare, 'utf8')) as Record<string, string[]>;
  const only = flag('--detector');
  for (const [key, now] of Object.entries(fired)) {
    const was = new Set(before[key] ?? []);
    const is = new Set(now);
    for (const d of new Set([...was, ...is])) {
      if (only && d !== only) continue;
      if (was.has(d) === is.has(d)) continue;
      const out = outputs.get(key) ?? '';
      console.log(`${is.has(d) ? '+' : '-'} ${d}: ${key} (${out.length} chars)`);
      console.log(`    ${out.slice(0, 300).replace(/\n+/g, ' ¶ ')}`);
      if (out.length > 600) console.log(`    …${out.slice(-300).replace(/\n+/g, ' ¶ ')}`);
    }
  }
}
