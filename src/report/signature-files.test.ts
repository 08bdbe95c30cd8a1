import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestRun } from '../../test/support/chart-run.js';
import { computeSignatures } from '../chart/signatures.js';
import { writeSignatureFiles } from './signature-files.js';

describe('writeSignatureFiles', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes every signature row to CSV and JSON', () => {
    dir = mkdtempSync(join(tmpdir(), 'errormap-sig-'));
    const run = buildTestRun({
      taxonomy: [
        {
          id: 'r',
          name: 'Reasoning',
          children: [{ id: 'a', name: 'Arithmetic, "mostly"' }],
        },
        { id: 'f', name: 'Format' },
      ],
      failures: [
        {
          model: 'A',
          exampleId: '1',
          path: ['r', 'a'],
          metadata: { subject: 'math' },
        },
        {
          model: 'A',
          exampleId: '2',
          path: ['f'],
          metadata: { subject: 'law' },
        },
      ],
    });
    const rows = computeSignatures(run, {
      groupings: [{ by: 'model' }, { by: 'meta', column: 'subject' }],
    });
    const files = writeSignatureFiles(dir, rows);
    const csv = parse(readFileSync(files.csv, 'utf8'), {
      columns: true,
    }) as Record<string, string>[];
    expect(csv).toHaveLength(rows.length);
    const arith = csv.find((r) => r.groupBy === 'model' && r.categoryId === 'a');
    expect(arith).toMatchObject({
      group: 'A',
      depth: '2',
      categoryPath: 'Reasoning > Arithmetic, "mostly"',
      count: '1',
      n: '2',
      share: '0.5',
      incidence: '1',
    });
    expect(csv.find((r) => r.groupBy === 'meta:subject')?.incidence).toBe('');
    const json = JSON.parse(readFileSync(files.json, 'utf8'));
    expect(json.rows).toHaveLength(rows.length);
    expect(json.rows[0].categoryPath).toEqual(rows[0].categoryPath);
  });
});
