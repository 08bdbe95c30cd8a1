import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

// Listing a folder fails as it does for a user without read permission (root can read any folder, so
// the refusal is simulated; the file system calls around it are real).
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    readdir: async (path: string) => {
      throw Object.assign(new Error(`EACCES: permission denied, scandir '${path}'`), { code: 'EACCES', path });
    },
  };
});

// A fresh copy of the reader, built on the mock even where the worker already imported the real one
// (tests share a module cache, isolate: false); the real one is restored for the files run after this.
vi.resetModules();
const { collectInputs } = await import('./read-inputs.js');
const { InputError } = await import('../errors.js');
afterAll(() => {
  vi.doUnmock('node:fs/promises');
  vi.resetModules();
});

const folder = mkdtempSync(join(tmpdir(), 'errormap-unreadable-'));
writeFileSync(join(folder, 'a.csv'), 'example_id,model,input_text,output_text,score\nq,m,i,o,1\n');
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('an input folder that cannot be listed', () => {
  it('is INPUT_UNREADABLE naming the folder, not a stack', async () => {
    const error = await collectInputs([folder]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InstanceType<typeof InputError>).code).toBe('INPUT_UNREADABLE');
    expect((error as InstanceType<typeof InputError>).message).toMatch(
      new RegExp(`^${folder}: cannot be read \\(EACCES: permission denied`),
    );
  });
});
