import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStore } from './run-store.js';

describe('RunStore', () => {
  it('replaces a cached answer under the same key, so a re-asked call is not bought again on the next run', () => {
    const store = RunStore.open(mkdtempSync(join(tmpdir(), 'errormap-store-')));
    const cache = store.callCache();
    const usage = { inputTokens: 10, outputTokens: 5 };
    cache.put('k', { task: 'error_analysis', judge: 'j', response: { old: true }, usage });
    cache.put('k', { task: 'error_analysis', judge: 'j', response: { fresh: true }, usage });
    expect(cache.get('k')?.response).toEqual({ fresh: true });
    store.close();
  });

  it('says so when the run directory is a file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'errormap-store-')), 'not-a-dir');
    writeFileSync(file, 'x');
    expect(() => RunStore.open(file)).toThrow(/is a file, not a run directory/);
  });
});
