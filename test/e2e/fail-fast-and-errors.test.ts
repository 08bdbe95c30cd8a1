import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_DATA, runCli, scriptedJudgeFlags, scriptedRunArgs } from '../support/cli-process.js';
import { startScriptedErrormapJudge } from '../support/scripted-errormap-judge.js';

/** What the user sees of an error: exactly one line on stderr, `errormap: CODE: message`. */
function expectOneErrorLine(stderr: string, code: string): string {
  const lines = stderr.trim().split('\n');
  const errorLines = lines.filter((l) => l.startsWith('errormap: '));
  expect(errorLines, stderr.slice(0, 2000)).toHaveLength(1);
  expect(errorLines[0].startsWith(`errormap: ${code}: `), errorLines[0]).toBe(true);
  expect(stderr).not.toMatch(/^\s+at /m);
  return errorLines[0];
}

/** A port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'errormap-fail-fast-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('a judge that cannot be used stops the run at once (exit 4)', () => {
  it('a server answering 401 gets one probe request; no run directory is left behind; the message names the key variable and the URL', async () => {
    const server = await startScriptedErrormapJudge({
      override: () => ({ status: 401, body: '{"error":{"message":"Incorrect API key"}}' }),
    });
    try {
      const out = join(tmp, 'rejected');
      const result = await runCli(scriptedRunArgs(server, out), { OPENAI_COMPATIBLE_API_KEY: 'not-the-right-key' });
      expect(result.code).toBe(4);
      expect(server.requests.length).toBeLessThanOrEqual(2);
      expect(existsSync(out)).toBe(false);
      const line = expectOneErrorLine(result.stderr, 'JUDGE_UNAVAILABLE');
      expect(line).toContain(`${server.baseUrl}/chat/completions refused the key`);
      expect(line).toMatch(/OPENAI_COMPATIBLE_API_KEY or OPENAI_API_KEY/);
      expect(line).not.toContain('not-the-right-key');
    } finally {
      await server.close();
    }
  });

  it('a resumed run whose key stops working sends one request, not one per failure, and records why it failed', async () => {
    let rejecting = false;
    const server = await startScriptedErrormapJudge({ override: () => (rejecting ? { status: 403 } : undefined) });
    try {
      const out = join(tmp, 'revoked');
      expect((await runCli(scriptedRunArgs(server, out, ['--ratio', '0.1']))).code).toBe(0);
      rejecting = true;
      const before = server.requests.length;
      // More failures than the finished run analysed: the new ones need the judge.
      const result = await runCli(scriptedRunArgs(server, out, ['--ratio', '0.5', '--concurrency', '4']));
      expect(result.code).toBe(4);
      expect(server.requests.length - before).toBe(1);
      expectOneErrorLine(result.stderr, 'JUDGE_UNAVAILABLE');
      const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
      expect(record.status).toBe('failed');
      expect(record.error).toMatch(/refused the key/);
    } finally {
      await server.close();
    }
  });

  it('nothing listening at --base-url: exit 4 within seconds, not after retries, and no run directory', async () => {
    const port = await closedPort();
    const out = join(tmp, 'nobody-home');
    const started = Date.now();
    const result = await runCli(scriptedRunArgs({ baseUrl: `http://127.0.0.1:${port}/v1` }, out));
    expect(result.code).toBe(4);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(existsSync(out)).toBe(false);
    expect(expectOneErrorLine(result.stderr, 'JUDGE_UNAVAILABLE')).toMatch(
      /cannot reach http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions.*ECONNREFUSED/,
    );
  });

  it('a model the server does not know: exit 4 naming the model', async () => {
    const server = await startScriptedErrormapJudge({ override: () => ({ status: 404, body: '{"error":{"message":"model not found"}}' }) });
    try {
      const result = await runCli([
        'run',
        EXAMPLE_DATA,
        ...scriptedJudgeFlags(server, 'no-such-model'),
        '--out',
        join(tmp, 'no-model'),
        '--quiet',
      ]);
      expect(result.code).toBe(4);
      expect(expectOneErrorLine(result.stderr, 'JUDGE_UNAVAILABLE')).toMatch(/does not know model "no-such-model"/);
    } finally {
      await server.close();
    }
  });
});

describe('every error path prints one line with its code', () => {
  it('-o inside a folder that cannot be written: exit 2, OUTPUT_UNWRITABLE', async () => {
    // root writes anywhere on a normal disk; /sys refuses new folders even to root.
    let parent = '/sys/errormap-test';
    if (process.getuid?.() !== 0) {
      parent = join(tmp, 'read-only');
      mkdirSync(parent, { mode: 0o555 });
    }
    const result = await runCli(['run', EXAMPLE_DATA, '--out', join(parent, 'run'), '--quiet']);
    expect(result.code).toBe(2);
    expect(expectOneErrorLine(result.stderr, 'OUTPUT_UNWRITABLE')).toMatch(
      /cannot create the run directory .*run: (permission denied|operation not permitted|the file system is read-only)/,
    );
  });

  it('view --port on a busy port: exit 2, PORT_IN_USE', async () => {
    const run = join(tmp, 'offline-run');
    expect((await runCli(['run', EXAMPLE_DATA, '--out', run, '--quiet'])).code).toBe(0);
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = busy.address() as { port: number };
      const result = await runCli(['view', run, '--port', String(port)]);
      expect(result.code).toBe(2);
      expect(expectOneErrorLine(result.stderr, 'PORT_IN_USE')).toMatch(/the port is already in use/);
    } finally {
      await new Promise<void>((resolve) => busy.close(() => resolve()));
    }
  });

  it('a 50 MB line without a newline: exit 2 with a short message, on stderr and in run.json', async () => {
    const dir = join(tmp, 'huge-line');
    mkdirSync(dir);
    const row = { example_id: 'q1', model: 'm', input_text: 'i', output_text: 'o', score: 'x'.repeat(50 * 1024 * 1024) };
    writeFileSync(join(dir, 'huge.jsonl'), JSON.stringify(row));
    const out = join(tmp, 'huge-line-run');
    const result = await runCli(['run', dir, '--out', out, '--quiet']);
    expect(result.code).toBe(2);
    expect(result.stderr.length).toBeLessThan(2000);
    expect(expectOneErrorLine(result.stderr, 'INPUT_INVALID')).toMatch(
      /huge\.jsonl, line 1, field "score": score "x{200}… \(\d+ more characters\)" is not a decimal number/,
    );
    const runJson = join(out, 'run.json');
    expect(existsSync(runJson)).toBe(true);
    const record = readFileSync(runJson, 'utf8');
    expect(record.length).toBeLessThan(20_000);
    expect(record).toContain('is not a decimal number');
  });

  it('a CSV whose only line is megabytes long: the header it quotes is cut to 200 characters', async () => {
    const dir = join(tmp, 'huge-header');
    mkdirSync(dir);
    // 2 MB shows the cut as well as the 50 MB of the JSONL case does, and keeps the test quick.
    writeFileSync(join(dir, 'huge.csv'), Buffer.alloc(2 * 1024 * 1024, 'a'));
    const result = await runCli(['run', dir, '--out', join(tmp, 'huge-header-run'), '--quiet']);
    expect(result.code).toBe(2);
    expect(expectOneErrorLine(result.stderr, 'INPUT_INVALID')).toMatch(/\(header has: a{200}… \(\d+ more characters\)\)$/);
  });

  it('an unexpected error shows its stack only with --debug', async () => {
    const plain = await runCli(['report', join(tmp, 'no-such-run')]);
    const debug = await runCli(['report', join(tmp, 'no-such-run'), '--debug']);
    expect(plain.code).toBe(debug.code);
    expect(plain.stderr).not.toMatch(/^\s+at /m);
    expect(debug.stderr).toMatch(/^\s+at /m);
  });
});
