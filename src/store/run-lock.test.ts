import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFile } from './run-dir.js';
import { acquireRunLock } from './run-lock.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'errormap-lock-'));

/** The pid of a process that has exited: certainly not running any more. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(child.stdout.trim());
}

describe('run directory lock', () => {
  it('lets one writer in and stops a second with a message naming the holder', () => {
    const dir = tempDir();
    const lock = acquireRunLock(dir);
    const held = JSON.parse(readFileSync(runFile(dir, 'lock'), 'utf8')) as { pid: number; host: string; startedAt: string };
    expect(held).toMatchObject({ pid: process.pid, host: hostname() });
    expect(() => acquireRunLock(dir)).toThrow(new RegExp(`another errormap run is writing this directory \\(process ${process.pid} on `));
    lock.release();
    expect(existsSync(runFile(dir, 'lock'))).toBe(false);
    acquireRunLock(dir).release();
  });

  it('takes over a stale lock (dead process on this host) and says so', () => {
    const dir = tempDir();
    const pid = deadPid();
    writeFileSync(runFile(dir, 'lock'), JSON.stringify({ pid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z' }));
    const said: string[] = [];
    const lock = acquireRunLock(dir, (m) => said.push(m));
    expect(said).toEqual([expect.stringMatching(new RegExp(`stale lock of process ${pid}`))]);
    expect(JSON.parse(readFileSync(runFile(dir, 'lock'), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('does not take over a lock held on another host, whose process it cannot check', () => {
    const dir = tempDir();
    writeFileSync(
      runFile(dir, 'lock'),
      JSON.stringify({ pid: deadPid(), host: 'elsewhere.example', startedAt: '2026-01-01T00:00:00.000Z' }),
    );
    expect(() => acquireRunLock(dir)).toThrow(/on elsewhere\.example/);
  });
});

describe('run directory lock on a path it cannot use', () => {
  it('says in one line that the path is a file, or cannot be written', () => {
    const dir = tempDir();
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    expect(() => acquireRunLock(file)).toThrow(/not-a-dir is a file, not a run directory/);
    expect(() => acquireRunLock(join(file, 'below'))).toThrow(
      /cannot create the run directory .*below: a part of the path is not a folder \(ENOTDIR\)/,
    );
  });
});
