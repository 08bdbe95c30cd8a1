// Bundles the built CLI (dist/cli/main.js and the packages it imports) into dist/bundle/cli.js, which
// bin/errormap.js loads, and a few chunks it loads on demand: Node then reads a handful of files instead
// of several hundred, which roughly halves the CPU time of every start. The bundle sits two folders deep,
// like every module of dist/, so the paths the code resolves from its own location (prompts/,
// viewer-dist/) still hold.
import { rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { build } from 'esbuild';

// zod's namespace (`z`, which our code and every AI SDK package import) re-exports all of its ~50
// message locales as `z.locales`; esbuild keeps a namespace whole, so each start parsed about 350 KB of
// translations nobody selects. Here zod's locale index holds English alone: the messages zod configures
// by default, and the only ones errormap shows. `z.locales.en` stays; other languages are undefined.
const englishOnlyZodLocales = {
  name: 'english-only-zod-locales',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)
        ? { path: resolve(args.resolveDir, args.path), namespace: 'zod-english-locale' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-english-locale' }, (args) => ({
      contents: "export { default as en } from './en.js';",
      resolveDir: dirname(args.path),
    }));
  },
};

// Chunk names change with their contents: a bundle built over an old one would keep every stale chunk.
rmSync('dist/bundle', { recursive: true, force: true });

await build({
  entryPoints: { cli: 'dist/cli/main.js' },
  outdir: 'dist/bundle',
  bundle: true,
  // What the code imports on demand (each command's module, each judge provider's package, the Parquet
  // decoders, ...) goes to chunks of its own, read only when used: at start `run` parses about 1.7 MB,
  // `view` 1.2 MB and `--version` 0.13 MB, where each parsed 3.1 MB with every command loaded.
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
  plugins: [englishOnlyZodLocales],
  logLevel: 'warning',
});
