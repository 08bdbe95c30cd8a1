// Picks the failures to label, deterministically, and prints them for reading (without detector output):
//   npx tsx bench/label-sample.ts [dataDir] > /tmp/to-label.txt
// Per dataset: up to PER_DETECTOR failures each detector flags (so precision is measurable) plus RANDOM
// failures chosen by hash order (for recall). Order never depends on detector confidence.
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanOutput } from '../src/detect/answer-extraction.js';
import type { DetectContext } from '../src/detect/finding.js';
import { detectFailure } from '../src/detect/run-detectors.js';
import { caseKey, LABEL_DATASETS, loadDetectorCases } from './detector-cases.js';

const PER_DETECTOR = 4;
const RANDOM: Record<string, number> = { mmlu_pro: 30, theoremqa: 20, alpaca_eval: 25, vicuna_bench: 15 };
const UNLABELLED = new Set(['hard_example', 'wrong_choice']);

export function selectForLabels(cases: DetectContext[]): DetectContext[] {
  const rank = (c: DetectContext) =>
    createHash('sha256')
      .update(`label-v1|${caseKey(c.failure)}`)
      .digest('hex');
  const chosen = new Map<string, DetectContext>();
  for (const dataset of LABEL_DATASETS) {
    const ordered = cases.filter((c) => c.failure.dataset === dataset).sort((a, b) => (rank(a) < rank(b) ? -1 : 1));
    const perDetector = new Map<string, number>();
    for (const c of ordered) {
      for (const f of detectFailure(c)) {
        if (UNLABELLED.has(f.detector) || (perDetector.get(f.detector) ?? 0) >= PER_DETECTOR) continue;
        perDetector.set(f.detector, (perDetector.get(f.detector) ?? 0) + 1);
        chosen.set(caseKey(c.failure), c);
      }
    }
    // Random ones come from the far end of the hash order, so they rarely repeat the flagged picks.
    for (const c of ordered.slice(-RANDOM[dataset])) chosen.set(caseKey(c.failure), c);
  }
  return [...chosen.values()];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dataDir = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '../../shared/data');
  const picked = selectForLabels(await loadDetectorCases(dataDir));
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
  console.error(`${picked.length} failures selected`);
}
