import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/architecture/**/*.test.ts', 'bench/**/*.test.ts'],
          testTimeout: 30_000,
          // A worker keeps the modules earlier test files imported (ai, zod, the CLI's commands): importing
          // them again for every file cost more than the tests themselves. The unit tests hold no global
          // state between files; a file that mocks a module resets the module cache before and after.
          isolate: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
