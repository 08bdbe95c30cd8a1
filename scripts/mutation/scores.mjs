// One line per module from StrykerJS's JSON reports (reports/mutation/<module>/mutation.json):
// score = (killed + timeout) / (killed + timeout + survived + no coverage). Mutants disabled with a
// `// Stryker disable` comment (documented equivalent mutants) are counted apart, never as killed.
// Run alone: `node scripts/mutation/scores.mjs [module ...]`; `--survivors <module>` lists the mutants left alive.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MUTATION_MODULES, REPORT_ROOT } from './modules.mjs';

/** Mutant counts by status, over every file of one report. */
export function countStatuses(report) {
  const counts = {};
  for (const file of Object.values(report.files)) {
    for (const mutant of file.mutants) {
      // ignoreStatic marks static mutants Ignored too; they are not equivalent, only not run
      const status = mutant.status === 'Ignored' && /static/i.test(mutant.statusReason ?? '') ? 'Static' : mutant.status;
      counts[status] = (counts[status] ?? 0) + 1;
    }
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
    `no coverage ${n('NoCoverage')}, equivalent (disabled) ${n('Ignored')}, static (not run) ${n('Static')}, ` +
    `compile errors ${n('CompileError')}`
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

/** The mutants tests let through, one line each: where, which mutator, what it became. */
export function printSurvivors(module) {
  const report = JSON.parse(readFileSync(`${REPORT_ROOT}/${module}/mutation.json`, 'utf8'));
  for (const [file, { mutants }] of Object.entries(report.files)) {
    for (const m of mutants) {
      if (m.status !== 'Survived' && m.status !== 'NoCoverage') continue;
      const where = `${file}:${m.location.start.line}:${m.location.start.column}`;
      console.log(`${where} ${m.status} ${m.mutatorName}: ${JSON.stringify(m.replacement ?? '')}`);
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args[0] === '--survivors') for (const module of args.slice(1)) printSurvivors(module);
  else printScores(args.length > 0 ? args : undefined);
}
