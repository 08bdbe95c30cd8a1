// Counts how often each detector fires per dataset, and prints flagged outputs to read:
//   npx tsx bench/detector-survey.ts [dataDir] [--show DETECTOR] [--dataset NAME] [--limit N]
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectFailure } from '../src/detect/run-detectors.js';
import { loadDetectorCases } from './detector-cases.js';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const dataDir = args[0] && !args[0].startsWith('--') ? args[0] : join(dirname(fileURLToPath(import.meta.url)), '../../shared/data');
const show = flag('--show');
const only = flag('--dataset');
const limit = Number(flag('--limit') ?? 10);

const cases = await loadDetectorCases(dataDir);
const counts = new Map<string, number>();
let shown = 0;
for (const ctx of cases) {
  if (only && ctx.failure.dataset !== only) continue;
  const findings = detectFailure(ctx);
  for (const f of findings)
    counts.set(`${ctx.failure.dataset}\t${f.detector}`, (counts.get(`${ctx.failure.dataset}\t${f.detector}`) ?? 0) + 1);
  const hit = findings.find((f) => f.detector === show);
  if (hit && shown < limit) {
    shown++;
    const out = ctx.failure.outputText;
    console.log(
      `===== ${ctx.failure.dataset} ${ctx.failure.exampleId} ${ctx.failure.model} score=${ctx.failure.score} ref=${JSON.stringify((ctx.failure.correctAnswer ?? '').slice(0, 80))}`,
    );
    console.log(`  ${hit.summary}\n  ${hit.evidence.slice(0, 300)}`);
    console.log(`  TAIL: ${JSON.stringify(out.slice(-300))}`);
  }
}
console.log(
  [...counts]
    .sort()
    .map(([k, v]) => `${k}\t${v}`)
    .join('\n'),
);
console.log(`failures: ${cases.length}`);
