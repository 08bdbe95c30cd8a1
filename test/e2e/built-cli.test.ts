/**
 * The built CLI as a user installs it: `bin/errormap.js` loads the esbuild bundle (scripts/bundle-cli.mjs),
 * which leaves what only some commands and inputs need (the Parquet decoders, the zip reader, the viewer's
 * web server, the AI SDK's core) to chunks loaded on demand, and keeps zod's English messages alone. The
 * other end-to-end tests run the source through tsx and never load those chunks; these do. The tree is
 * built first (`npm run build`) so the bundle is the current source's.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonSchemaOf } from '../../src/judge/create-judge.js';
import { errorAnalysisSchema } from '../../src/prompts/response-schemas.js';
import { EXAMPLE_DATA, REPO_ROOT, runCli, scriptedRunArgs, spawnBuiltCli } from '../support/cli-process.js';
import { makeRunDir } from '../support/make-run-dir.js';
import { startScriptedErrormapJudge } from '../support/scripted-errormap-judge.js';

const PARQUET = 'test/fixtures/formats/parquet/predictions.parquet';
const INSPECT_ARCHIVE = 'test/fixtures/formats/inspect/theory_of_mind.eval';

let tmp: string;
beforeAll(() => {
  execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'ignore' });
  tmp = mkdtempSync(join(tmpdir(), 'errormap-built-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('inputs whose readers load their decoders on demand', () => {
  it.each([
    ['a Parquet file', PARQUET, 5],
    ['an Inspect .eval archive (zip)', INSPECT_ARCHIVE, 3],
  ])('%s imports to the same CSV as from source', async (_kind, input, rows) => {
    const built = join(tmp, `built-${rows}.csv`);
    const fromSource = join(tmp, `source-${rows}.csv`);
    const result = await spawnBuiltCli(['import', input, '--out', built]).done;
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`wrote ${rows} rows to ${built}\n`);
    expect((await runCli(['import', input, '--out', fromSource])).code).toBe(0);
    expect(readFileSync(built, 'utf8')).toBe(readFileSync(fromSource, 'utf8'));
  });
});

describe('a run with a judge (scripted OpenAI-compatible server)', () => {
  it('finishes, and sends the JSON schema the source derives from the answer schema', async () => {
    const server = await startScriptedErrormapJudge();
    try {
      const result = await spawnBuiltCli(scriptedRunArgs(server, join(tmp, 'judged'), ['--ratio', '0.1'])).done;
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const analysis = server.requests.find((r) => r.task === 'error_analysis');
      expect(analysis?.body.response_format?.json_schema?.schema).toEqual(await jsonSchemaOf(errorAnalysisSchema));
    } finally {
      await server.close();
    }
  });
});

describe('messages from zod schemas', () => {
  it('a --config value out of range is refused in English', async () => {
    const config = join(tmp, 'bad-config.json');
    writeFileSync(config, JSON.stringify({ ratio: 2 }));
    const result = await spawnBuiltCli(['run', EXAMPLE_DATA, '--config', config, '--out', join(tmp, 'never')]).done;
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`errormap: CONFIG_INVALID: ${config}: field "ratio": Too big: expected number to be <=1\n`);
  });
});

describe('errormap view', () => {
  it('serves the viewer page and the run as JSON until stopped', async () => {
    const run = makeRunDir(join(tmp, 'view-run'), { failures: 40 });
    const { child, done } = spawnBuiltCli(['view', run.dir, '--port', '0']);
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let printed = '';
        child.stdout?.on('data', (d) => {
          printed += d;
          const match = /^errormap viewer: (http:\/\/127\.0\.0\.1:\d+\/)/m.exec(printed);
          if (match) resolve(match[1]);
        });
        void done.then((r) => reject(new Error(`view exited (${r.code}): ${r.stderr}`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('id="errormap-data">null</script>');
      const overview = (await (await fetch(`${url}api/overview`)).json()) as { summary: { failureCount: number } };
      expect(overview.summary.failureCount).toBe(40);
    } finally {
      child.kill('SIGTERM');
    }
    expect((await done).code).toBe(0);
  });
});
