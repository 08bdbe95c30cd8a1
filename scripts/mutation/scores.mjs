// One line per module from StrykerJS's JSON reports (reports/mutation/<module>/mutation.json):
// score = (killed + timeout) / (killed + timeout + survived + no coverage). Mutants disabled with a
// `// Stryker disable` comment (documented equivalent mutants) are counted apart, never as killed.
// Run alone: `node scripts/mutation/scores.mjs [module ...]`.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MUTATION_MODULES, REPORT_ROOT } from './modules.mjs';

/** Mutant counts by status, over every file of one report. */
export function countStatuses(report) {
  const counts = {};
  for (const file of Object.values(report.files)) {
    for (const mutant of file.mutants) counts[mutant.status] = (counts[mutant.status] ?? 0) + 1;
  }
  return counts;
}

export function scoreLine(module, counts) {
  const n = (status) => counts[status] ?? 0;
  const detected = n('Killed') + n('Timeout');
  const valid = detected + n('Survived') + n('NoCoverage');
  const score = valid === 0 ? 'n/a' : `${((100 * detected) / valid).toFixed(1)}%`;
  return (
    `${module.padEnd(9)} ${score.padStart(6)}  killed ${n('Killed')}, timeout ${n('Timeout')}, survived ${n('Survived')}, ` +
    `no coverage ${n('NoCoverage')}, equivalent (disabled) ${n('Ignored')}, compile errors ${n('CompileError')}`
  );
}

export function printScores(modules = Object.keys(MUTATION_MODULES)) {
  for (const module of modules) {
    const file = `${REPORT_ROOT}/${module}/mutation.json`;
    if (!existsSync(file)) {
      console.log(`${module.padEnd(9)} no report yet (npm run test:mutation -- ${module})`);
      continue;
    }
    console.log(scoreLine(module, countStatuses(JSON.parse(readFileSync(file, 'utf8')))));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const asked = process.argv.slice(2);
  printScores(asked.length > 0 ? asked : undefined);
}
