/** The run directory as a contract: one writer, whole files only, a finished run that a bad rerun cannot damage. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startViewServer } from '../../src/report/view-server.js';
import { loadRunData } from '../../src/store/run-data.js';
import { readRecord, runFile } from '../../src/store/run-dir.js';
import { EXAMPLE_DATA, runCli, scriptedRunArgs, spawnCli } from '../support/cli-process.js';
import { startScriptedErrormapJudge } from '../support/scripted-errormap-judge.js';

const KILL_AT_RENAME = fileURLToPath(new URL('../support/kill-at-rename.ts', import.meta.url));
let tmp: string;
let reference: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'errormap-rundir-'));
  reference = join(tmp, 'reference');
  expect((await runCli(['run', EXAMPLE_DATA, '--out', reference, '--quiet'])).code).toBe(0);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** sha256 of every file in a directory, by name. */
function hashes(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [
        f,
        createHash('sha256')
          .update(readFileSync(join(dir, f)))
          .digest('hex'),
      ]),
  );
}

const resultFiles = (dir: string) => ({
  taxonomy: readFileSync(runFile(dir, 'taxonomy'), 'utf8'),
  errors: readFileSync(runFile(dir, 'errors'), 'utf8'),
});

describe('one writer per run directory', () => {
  it('a second run on the same directory exits 2 at once with one line; the first finishes and nothing is paid twice', async () => {
    // The first run's answers are slow until the second run has been refused, so the first is still
    // writing when the second starts, however slowly a loaded machine starts the second process.
    let secondRefused = false;
    const server = await startScriptedErrormapJudge({ delayMs: () => (secondRefused ? 40 : 2000) });
    try {
      const out = join(tmp, 'shared');
      const first = spawnCli(scriptedRunArgs(server, out, ['--concurrency', '2']));
      while ((server.countByTask().error_analysis ?? 0) < 2) await new Promise((r) => setTimeout(r, 20));
      const lockBefore = readFileSync(runFile(out, 'lock'), 'utf8');
      const started = Date.now();
      const second = await runCli(scriptedRunArgs(server, out, ['--concurrency', '2']));
      secondRefused = true;
      expect(second.code).toBe(2);
      expect(second.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/another errormap run is writing this directory \(process \d+ on /),
      ]);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(readFileSync(runFile(out, 'lock'), 'utf8')).toBe(lockBefore);

      const done = await first.done;
      expect(done.code).toBe(0);
      const record = readRecord(out);
      expect(record.status).toBe('finished');
      // Every failure was analysed exactly once: no request repeated by the refused run.
      expect(server.countByTask().error_analysis).toBe(record.counts.sampled);
      expect(readdirSync(out)).not.toContain('errormap.lock');
    } finally {
      await server.close();
    }
  });

  it('takes over the lock a killed run left behind, and says so', async () => {
    const out = join(tmp, 'stale');
    const { child, done } = spawnCli(['run', EXAMPLE_DATA, '--out', out, '--quiet'], { ERRORMAP_TEST_KILL_AT_RENAME: 'taxonomy.json#1' }, [
      KILL_AT_RENAME,
    ]);
    await done;
    expect(child.signalCode).toBe('SIGKILL');
    expect(readdirSync(out)).toContain('errormap.lock');
    const resumed = await runCli(['run', EXAMPLE_DATA, '--out', out, '--quiet']);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/taking over a stale lock of process \d+/);
    expect(resultFiles(out)).toEqual(resultFiles(reference));
  });
});

describe('a bad rerun on a finished run', () => {
  it('leaves every file of the run byte-for-byte as it was', async () => {
    const out = join(tmp, 'finished');
    expect((await runCli(['run', EXAMPLE_DATA, '--out', out, '--quiet'])).code).toBe(0);
    const before = hashes(out);
    for (const bad of ['test/fixtures/bad/non-numeric-score.csv', 'test/fixtures/bad']) {
      const rerun = await runCli(['run', bad, '--out', out, '--quiet']);
      expect(rerun.code).toBe(2);
      expect(hashes(out)).toEqual(before);
    }
    expect(loadRunData(out).failures.length).toBe(readRecord(out).counts.sampled);
  });
});

describe('a crash between two files', () => {
  // Kill points across the files stage: before taxonomy.json, errors.csv, signatures.json, and the final run.json.
  for (const killAt of ['taxonomy.json#1', 'errors.csv#1', 'signatures.json#1', 'run.json#2']) {
    it(`(killed before ${killAt}) leaves no empty file, never a finished mark over missing files, and resumes to the same result`, async () => {
      const out = join(tmp, `kill-${killAt.replace(/\W/g, '-')}`);
      const killed = spawnCli(['run', EXAMPLE_DATA, '--out', out, '--quiet'], { ERRORMAP_TEST_KILL_AT_RENAME: killAt }, [KILL_AT_RENAME]);
      await killed.done;
      expect(killed.child.signalCode).toBe('SIGKILL');
      for (const f of readdirSync(out)) expect(statSync(join(out, f)).size, f).toBeGreaterThan(0);
      expect(readRecord(out).status).not.toBe('finished');
      // Readers refuse the unfinished run with one clear line.
      const view = await runCli(['signatures', out]);
      expect(view.code).toBe(2);
      expect(view.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/did not finish \(status "running"\)|not a finished errormap run directory/),
      ]);

      expect((await runCli(['run', EXAMPLE_DATA, '--out', out, '--quiet'])).code).toBe(0);
      expect(resultFiles(out)).toEqual(resultFiles(reference));
      expect(readRecord(out).status).toBe('finished');
    });
  }
});

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('the view server', () => {
  it('answers only its own loopback Host, and refuses a bad offset with 400 and a message', async () => {
    const server = await startViewServer(reference);
    try {
      const url = new URL(server.url);
      expect((await get(`${server.url}api/overview`)).status).toBe(200);
      expect((await get(`http://localhost:${url.port}/api/overview`)).status).toBe(200);
      const evil = await get(`${server.url}api/overview`, { Host: `evil.example:${url.port}` });
      expect(evil.status).toBe(403);
      expect(evil.body).not.toContain('"summary"');
      const bad = await get(`${server.url}api/failures?offset=99999999999999999999`);
      expect(bad.status).toBe(400);
      expect(JSON.parse(bad.body)).toEqual({ error: expect.stringMatching(/"offset" must be a whole number/) });
      expect((await get(`${server.url}api/failures?limit=abc`)).status).toBe(400);
      expect((await get(`${server.url}api/failures?offset=5&limit=3`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('reports an empty run.json in one line instead of a parser stack', async () => {
    const out = join(tmp, 'emptied');
    expect((await runCli(['run', EXAMPLE_DATA, '--out', out, '--quiet'])).code).toBe(0);
    writeFileSync(runFile(out, 'record'), '');
    const view = await runCli(['view', out]);
    expect(view.code).toBe(2);
    expect(view.stderr.trim().split('\n')).toEqual([expect.stringMatching(/run\.json: empty/)]);
  });
});
