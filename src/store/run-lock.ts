import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { ConfigError, ErrormapError, fromSystemError } from '../errors.js';
import { runFile, writeFileAtomic } from './run-dir.js';

/** Who holds a run directory: written into its lock file. */
interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

export interface RunLock {
  release(): void;
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? (owner as LockOwner) : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the run directory for one writer. The lock file appears whole or not at all: its content is
 * written to a unique temporary file that is then hard-linked to the lock name, which fails if the
 * name exists (the same exclusivity as O_EXCL, without a window where the file is empty).
 * A lock left by a dead process on this host is reported through `onStale` and taken over; a live
 * one (or one on another host, whose process cannot be checked) stops the caller at once.
 */
export function acquireRunLock(dir: string, onStale: (message: string) => void = () => {}): RunLock {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new ConfigError(`${dir} is a file, not a run directory`);
  const file = runFile(dir, 'lock');
  const me: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  const claim = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.claim`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileAtomic(claim, `${JSON.stringify(me)}\n`);
  } catch (e) {
    throw (
      fromSystemError(e, `cannot create the run directory ${dir}`, 'OUTPUT_UNWRITABLE') ??
      new ConfigError(`${dir}: cannot write the run directory (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
    );
  }
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(claim, file);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw lockedError(dir, readOwner(file), e);
        const owner = readOwner(file);
        if (!owner || owner.host !== me.host || isAlive(owner.pid)) throw lockedError(dir, owner, e);
        onStale(`${file}: taking over a stale lock of process ${owner.pid} (started ${owner.startedAt}), which is no longer running`);
        rmSync(file, { force: true });
      }
    }
  } finally {
    rmSync(claim, { force: true });
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      // Only our own lock is removed: never one a later run took over.
      if (readOwner(file)?.pid === me.pid) rmSync(file, { force: true });
    },
  };
}

function lockedError(dir: string, owner: LockOwner | undefined, cause: unknown): ErrormapError {
  if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') {
    return new ErrormapError('RUN_LOCKED', `${dir}: cannot lock the run directory (${(cause as Error).message})`);
  }
  const who = owner ? `process ${owner.pid} on ${owner.host}, started ${owner.startedAt}` : 'another errormap process';
  return new ErrormapError(
    'RUN_LOCKED',
    `${dir}: another errormap run is writing this directory (${who}); wait for it to finish or give another --out`,
  );
}
