import { defineConfig } from 'vitest/config';

// The unit tests alone, for StrykerJS: it asks vitest for the tests related to each mutated file.
// Without isolation a worker keeps the modules it has imported, so a mutant's run does not pay for
// importing its test files again (Stryker switches mutants at run time, not by reloading code).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/integration/**/*.test.ts'],
    // replaces node:fs/promises with vi.mock, which needs a fresh module graph (isolation)
    exclude: ['src/ingest/unreadable-folder.test.ts'],
    testTimeout: 30_000,
    isolate: false,
  },
});
