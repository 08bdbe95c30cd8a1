// StrykerJS over one module at a time (MUTATION_MODULE); run through `npm run test:mutation`,
// which sets the module and prints the scores. Reports and the incremental file go under
// reports/mutation/<module>/ (not committed).
import { MUTATION_MODULES, REPORT_ROOT } from './scripts/mutation/modules.mjs';

const module = process.env.MUTATION_MODULE;
if (!module || !MUTATION_MODULES[module]) {
  throw new Error(`set MUTATION_MODULE to one of: ${Object.keys(MUTATION_MODULES).join(', ')}`);
}
const out = `${REPORT_ROOT}/${module}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  // MUTATION_TYPECHECK=1 adds the TypeScript checker, which discards mutants that do not compile before they
  // run. Off by default: on two shared cores it competes with the test runner for CPU and about 1 GB of memory
  // (a first ingest run with it, and with isolated tests, had not finished after 15 minutes); without it such
  // mutants run as JavaScript and are killed or survive on behaviour, counted like any other.
  checkers: process.env.MUTATION_TYPECHECK === '1' ? ['typescript'] : [],
  tsconfigFile: 'tsconfig.mutation.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: MUTATION_MODULES[module],
  coverageAnalysis: 'perTest',
  // two cores shared by the whole team: one or two mutants at a time (MUTATION_CONCURRENCY)
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 1),
  // Static mutants (module-level constants and regexes) each rerun every related test file from a fresh
  // import: 8% of prepare's mutants took 78% of its time. They are left out by default and reported as
  // ignored, "static"; MUTATION_STATIC=1 runs them too.
  ignoreStatic: process.env.MUTATION_STATIC !== '1',
  incremental: true,
  incrementalFile: `${out}/incremental.json`,
  reporters: ['html', 'json', 'clear-text', 'progress-append-only'],
  htmlReporter: { fileName: `${out}/index.html` },
  jsonReporter: { fileName: `${out}/mutation.json` },
  clearTextReporter: { reportTests: false, reportMutants: false, reportScoreTable: true },
  ignorePatterns: ['/runs', '/reports', '/dist', '/viewer-dist', '/docs', '/labels', '/.vite'],
  tempDirName: `.stryker-tmp`,
  cleanTempDir: 'always',
  timeoutMS: 20_000,
  thresholds: { high: 90, low: 80, break: null },
};
