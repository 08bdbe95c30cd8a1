/**
 * Fingerprints of a run's result files, to check that a refactor changes no output byte.
 * Runs the pipeline offline and against the scripted judge (plumbing only, never a quality figure)
 * on each dataset folder given, and prints sha256 of taxonomy.json and errors.csv per run.
 *
 *   npx tsx bench/output-fingerprint.ts [DATA_DIR ...]   (default: examples/data and every ../shared/data folder)
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPipeline } from '../src/pipeline/run-pipeline.js';
import { resolveSettings } from '../src/settings/run-settings.js';
import { startScriptedErrormapJudge } from '../test/support/scripted-errormap-judge.js';

const sha = (path: string) => (existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16) : 'missing');

async function main(argv: string[]): Promise<void> {
  const shared = '../shared/data';
  const datasets =
    argv.length > 0
      ? argv
      : [
          'examples/data',
          ...readdirSync(shared)
            .filter((d) => !d.includes('.'))
            .map((d) => join(shared, d)),
        ];
  const server = await startScriptedErrormapJudge();
  const dir = mkdtempSync(join(tmpdir(), 'errormap-fingerprint-'));
  try {
    for (const data of datasets) {
      for (const judge of ['offline', 'openai-compatible:scripted-judge']) {
        const out = join(dir, `${data.replace(/\W+/g, '_')}-${judge.length}`);
        const settings = resolveSettings({
          inputs: [data],
          out,
          judge,
          baseUrl: server.baseUrl,
          apiKey: 'fingerprint',
          concurrency: 16,
          ratio: 0.2,
        });
        await runPipeline(settings);
        console.log(`${data}\t${judge}\ttaxonomy.json ${sha(join(out, 'taxonomy.json'))}\terrors.csv ${sha(join(out, 'errors.csv'))}`);
      }
    }
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main(process.argv.slice(2));
