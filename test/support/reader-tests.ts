/** Setup shared by the input reader tests: collecting a reader's predictions, its InputError, temporary files. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { InputError } from '../../src/errors.js';
import type { InputReader, Prediction, ReaderOptions } from '../../src/ingest/prediction.js';

/** Reads a whole input with `read` into a list. */
export function predictionCollector(read: InputReader['read']): (path: string, options?: ReaderOptions) => Promise<Prediction[]> {
  return async (path, options = {}) => {
    const out: Prediction[] = [];
    for await (const p of read(path, options)) out.push(p);
    return out;
  };
}

/** The InputError `promise` rejects with; fails the test when it resolves or rejects with anything else. */
export async function inputErrorOf(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

export interface TempDirs {
  /** A new empty folder. */
  dir(): string;
  /** A new file `name` holding `content`, alone in a new folder. */
  file(name: string, content: string | Buffer): string;
}

/** Temporary folders for one test file, removed after each test; call at the top level of the file. */
export function tempDirsRemovedAfterEach(prefix: string): TempDirs {
  const made: string[] = [];
  afterEach(() => {
    for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    made.push(d);
    return d;
  };
  return {
    dir,
    file(name, content) {
      const path = join(dir(), name);
      writeFileSync(path, content);
      return path;
    },
  };
}
