#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';

// The bundled CLI starts faster (scripts/bundle-cli.mjs); a build without it still runs from dist/cli.
const bundled = new URL('../dist/bundle/cli.js', import.meta.url);
const entry = existsSync(fileURLToPath(bundled)) ? bundled : new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('errormap: not built yet; run `npm run build` in the errormap folder first\n');
  process.exit(1);
}
// V8 grows its heap to several times what a run keeps alive (about 60 MB: every analysis call makes
// short-lived garbage); a smaller growth step holds the peak resident memory near half for a few percent
// more garbage-collection time (bench/pipeline-throughput.ts measures both).
setFlagsFromString('--heap-growing-percent=50');
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
