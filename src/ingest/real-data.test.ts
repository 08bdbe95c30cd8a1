import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { collectInputs } from './read-inputs.js';

// The full real datasets ship with the tests (compressed, with their attribution), so this runs
// everywhere, CI's fresh clone included, instead of being skipped where ../shared/data is absent.
const REAL_DATA = join(import.meta.dirname, '../../test/fixtures/real-data');
/** Rows and SHA-256 of each CSV, as listed in test/fixtures/real-data/ATTRIBUTION.md. */
const FILES = {
  'mmlu_pro.csv': { rows: 1848, sha256: '14d95ad9eddd21cd6f482bebe54d30669fe3e7af970c1613b33c2eda27758daa' },
  'theoremqa.csv': { rows: 5229, sha256: '297b0b561a83a3014347cf3bdc526d03833b318fd6eea844c40e98351b006d13' },
  'alpaca_eval.csv': { rows: 1196, sha256: '5e8ac66296d6ea941d470c129e47c3d73759fdca4f7a5f9a200fee299ae42a5e' },
  'vicuna_bench.csv': { rows: 400, sha256: '46e7fed5bffd2b0a03cf321edd434398349a7bd848e528aee0c6335551b71336' },
};

const folder = mkdtempSync(join(tmpdir(), 'errormap-real-data-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('the real benchmark data', () => {
  it('loads all four datasets as they are: every row, with its dataset', async () => {
    for (const [name, { sha256 }] of Object.entries(FILES)) {
      const csv = brotliDecompressSync(readFileSync(join(REAL_DATA, `${name}.br`)));
      expect(createHash('sha256').update(csv).digest('hex'), name).toBe(sha256);
      writeFileSync(join(folder, name), csv);
    }
    const { predictions, inputs } = await collectInputs([folder]);
    const rows = Object.fromEntries(inputs.map((i) => [i.path.split('/').at(-1), i.rows]));
    expect(rows).toEqual(Object.fromEntries(Object.entries(FILES).map(([name, f]) => [name, f.rows])));
    const perDataset: Record<string, number> = {};
    for (const p of predictions) perDataset[p.dataset] = (perDataset[p.dataset] ?? 0) + 1;
    expect(perDataset).toEqual({ mmlu_pro: 1848, theoremqa: 5229, alpaca_eval: 1196, vicuna_bench: 400 });
  });
});
