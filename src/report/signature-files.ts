import { stringify } from 'csv-stringify/sync';
import type { SignatureRow } from '../chart/signatures.js';
import { runFile, writeFileAtomic, writeRunJson } from '../store/run-dir.js';

const CSV_COLUMNS: (keyof SignatureRow)[] = [
  'groupBy',
  'group',
  'depth',
  'categoryId',
  'categoryPath',
  'count',
  'n',
  'share',
  'ciLow',
  'ciHigh',
  'incidence',
  'incidenceLow',
  'incidenceHigh',
];

/** Round for files: enough digits to recompute, none of the float noise. */
const round = (x: number) => Number(x.toPrecision(10));

/**
 * Writes the signatures CSV (one row per group × category × depth; category path joined with " > ", empty
 * incidence where unknown) and JSON ({ columns meaning, rows }) into a run directory.
 */
export function writeSignatureFiles(dir: string, rows: readonly SignatureRow[]): { csv: string; json: string } {
  const csvRows = rows.map((r) =>
    CSV_COLUMNS.map((c) => {
      const v = r[c];
      if (v === undefined) return '';
      if (Array.isArray(v)) return v.join(' > ');
      return typeof v === 'number' ? round(v) : v;
    }),
  );
  const csv = runFile(dir, 'signaturesCsv');
  writeFileAtomic(csv, stringify([CSV_COLUMNS, ...csvRows]));
  const jsonRows = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? round(v) : v])));
  const json = writeRunJson(dir, 'signaturesJson', {
    about:
      'share = weighted share of the group’s analysed failures in the category (95% Wilson interval ciLow–ciHigh); ' +
      'incidence = estimated failures in the category per 100 predictions (share × failures / predictions × 100); ' +
      'failures are weighted by failures / analysed failures of their (dataset, model) stratum.',
    rows: jsonRows,
  });
  return { csv, json };
}
