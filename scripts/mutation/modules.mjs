// The modules under mutation testing: where a silent bug changes a user's result (issue 17).
// One entry per module: the source files Stryker mutates. Tests are found by vitest's related-files
// search from these files, so each mutant runs only the tests that import it.

/** @type {Record<string, string[]>} */
export const MUTATION_MODULES = {
  prepare: ['src/prepare/*.ts', '!src/prepare/*.test.ts'],
  // the statistics: intervals, exact tests, adjusted p, kappa, weighted shares, which strata count
  chart: [
    'src/chart/proportions.ts',
    'src/chart/exact-tests.ts',
    'src/chart/multiple-testing.ts',
    'src/chart/agreement.ts',
    'src/chart/weighted-shares.ts',
    'src/chart/rate.ts',
    'src/chart/analysed-strata.ts',
    'src/chart/no-error.ts',
  ],
  taxonomy: ['src/taxonomy/*.ts', '!src/taxonomy/*.test.ts', '!src/taxonomy/index.ts'],
  judge: ['src/judge/retry-policy.ts', 'src/judge/call-key.ts', 'src/judge/structured-call.ts', 'src/judge/model-call.ts'],
  // resume (predictions kept across runs, stage markers) and the call cache live in the run store
  store: ['src/store/run-store.ts'],
  ingest: ['src/ingest/score-number.ts', 'src/ingest/row-to-prediction.ts'],
  detect: ['src/detect/*.ts', '!src/detect/*.test.ts'],
};

export const REPORT_ROOT = 'reports/mutation';
