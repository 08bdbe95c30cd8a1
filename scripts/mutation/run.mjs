// `npm run test:mutation [-- module ...]`: StrykerJS over each named module (all when none, or
// MUTATION_MODULE=a,b), one module after another, incrementally: a mutant whose code and tests did not
// change keeps its last result. Then prints one score line per module from the JSON reports.
import { spawnSync } from 'node:child_process';
import { MUTATION_MODULES } from './modules.mjs';
import { printScores } from './scores.mjs';

const asked = process.argv.slice(2).length > 0 ? process.argv.slice(2) : (process.env.MUTATION_MODULE?.split(',') ?? []);
const modules = asked.length > 0 ? asked : Object.keys(MUTATION_MODULES);
const unknown = modules.filter((m) => !MUTATION_MODULES[m]);
if (unknown.length > 0) {
  console.error(`unknown module ${unknown.join(', ')}: choose from ${Object.keys(MUTATION_MODULES).join(', ')}`);
  process.exit(2);
}

let failed = 0;
for (const module of modules) {
  console.log(`\n== mutation testing: ${module}`);
  const run = spawnSync(process.execPath, ['node_modules/@stryker-mutator/core/bin/stryker.js', 'run', 'stryker.config.mjs'], {
    stdio: 'inherit',
    env: { ...process.env, MUTATION_MODULE: module },
  });
  if (run.status !== 0) {
    console.error(`stryker failed on ${module} (exit ${run.status})`);
    failed += 1;
  }
}
console.log('');
printScores(modules);
process.exitCode = failed > 0 ? 1 : 0;
