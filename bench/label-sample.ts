// Picks the failures to label, deterministically, and prints them for reading (without detector output):
//   npx tsx bench/label-sample.ts [dataDir] [--set tuning|heldout] > /tmp/to-label.txt
// Per dataset: up to perDetector failures each detector flags (so precision is measurable) plus `random`
// failures chosen by hash order (for recall). Order never depends on detector confidence.
// The held-out set uses another salt and skips every failure already in labels/detector-labels.jsonl.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanOutput } from '../src/detect/answer-extraction.js';
import type { DetectContext } from '../src/detect/finding.js';
import { detectFailure } from '../src/detect/run-detectors.js';
import { caseKey, LABEL_DATASETS, loadDetectorCases } from './detector-cases.js';

export interface SampleSpec {
  salt: string;
  perDetector: number;
  random: Record<string, number>;
  /** Failures (caseKey) that must not be picked, e.g. those already labelled. */
  exclude: ReadonlySet<string>;
}

export const TUNING_SPEC: SampleSpec = {
  salt: 'label-v1',
  perDetector: 4,
  random: { mmlu_pro: 30, theoremqa: 20, alpaca_eval: 25, vicuna_bench: 15 },
  exclude: new Set(),
};

export function heldoutSpec(tuningLabelKeys: ReadonlySet<string>): SampleSpec {
  return {
    salt: 'heldout-v2',
    perDetector: 3,
    random: { mmlu_pro: 22, theoremqa: 15, alpaca_eval: 18, vicuna_bench: 12 },
    exclude: tuningLabelKeys,
  };
}

const UNLABELLED = new Set(['hard_example', 'wrong_choice']);

export function selectForLabels(cases: DetectContext[], spec: SampleSpec = TUNING_SPEC): DetectContext[] {
  const rank = (c: DetectContext) =>
    createHash('sha256')
      .update(`${spec.salt}|${caseKey(c.failure)}`)
      .digest('hex');
  const chosen = new Map<string, DetectContext>();
  for (const dataset of LABEL_DATASETS) {
    const ordered = cases
      .filter((c) => c.failure.dataset === dataset && !spec.exclude.has(caseKey(c.failure)))
      .sort((a, b) => (rank(a) < rank(b) ? -1 : 1));
    const perDetector = new Map<string, number>();
    for (const c of ordered) {
      for (const f of detectFailure(c)) {
        if (UNLABELLED.has(f.detector) || (perDetector.get(f.detector) ?? 0) >= spec.perDetector) continue;
        perDetector.set(f.detector, (perDetector.get(f.detector) ?? 0) + 1);
        chosen.set(caseKey(c.failure), c);
      }
    }
    // Random ones come from the far end of the hash order, so they rarely repeat the flagged picks.
    for (const c of ordered.slice(-(spec.random[dataset] ?? 0))) chosen.set(caseKey(c.failure), c);
  }
  return [...chosen.values()];
}

/** caseKey of every failure in a labels file (JSONL with dataset, example_id, model). */
export function labelledKeys(path: string): Set<string> {
  return new Set(
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const l = JSON.parse(line) as { dataset: string; example_id: string; model: string };
        return caseKey({ dataset: l.dataset, exampleId: l.example_id, model: l.model });
      }),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
  const args = process.argv.slice(2);
  const setIndex = args.indexOf('--set');
  const set = setIndex >= 0 ? args[setIndex + 1] : 'tuning';
  const dataDir = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--set') ?? join(repo, '../shared/data');
  const spec = set === 'heldout' ? heldoutSpec(labelledKeys(join(repo, 'labels/detector-labels.jsonl'))) : TUNING_SPEC;
  const picked = selectForLabels(await loadDetectorCases(dataDir), spec);
  for (const [i, c] of picked.entries()) {
    const f = c.failure;
    const out = cleanOutput(f.outputText);
    const refLengths = c.references.map((r) => r.outputText.length).sort((a, b) => a - b);
    console.log(
      `##### ${i} ${f.dataset} | ${f.exampleId} | ${f.model} | score ${f.score} | ref ${JSON.stringify((f.correctAnswer ?? '').slice(0, 120))} | refLens ${refLengths.join(',')}`,
    );
    console.log(
      `IN: ${f.inputText.slice(f.dataset === 'mmlu_pro' ? 200 : 0, f.dataset === 'mmlu_pro' ? 1500 : 600).replace(/\n+/g, ' ¶ ')}`,
    );
    console.log(`OUT(${out.length}): ${out.length <= 1400 ? out : `${out.slice(0, 500)}\n[...]\n${out.slice(-800)}`}`);
  }
  console.error(`${picked.length} failures selected (${set})`);
}
