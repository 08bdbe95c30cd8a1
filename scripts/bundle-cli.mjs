// Bundles the built CLI (dist/cli/main.js and the packages it imports) into dist/bundle/cli.js, which
// bin/errormap.js loads, and a few chunks it loads on demand: Node then reads a handful of files instead
// of several hundred, which roughly halves the CPU time of every start. The bundle sits two folders deep,
// like every module of dist/, so the paths the code resolves from its own location (prompts/,
// viewer-dist/) still hold.
import { build } from 'esbuild';

await build({
  entryPoints: { cli: 'dist/cli/main.js' },
  outdir: 'dist/bundle',
  bundle: true,
  // What the code imports on demand (each judge provider's package) goes to chunks of its own, read only
  // by a run that uses it: a run parses about 2 MB at start instead of 5.5 MB, and holds less in memory.
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // A native addon. mathjs is bundled: esbuild keeps only the factories closed-form-math.ts names.
  external: ['better-sqlite3'],
  // Some bundled packages are CommonJS and call require(); an ES module has none of its own.
  banner: {
    js: "import { createRequire as errormapCreateRequire } from 'node:module';\nconst require = errormapCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
