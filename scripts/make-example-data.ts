/**
 * Regenerates examples/data/ from the shared real-data CSVs: a deterministic subset of examples per dataset,
 * with every model's row for each chosen example (so references from other models stay available).
 *
 *   npx tsx scripts/make-example-data.ts [SOURCE_DIR]     (default: ../shared/data next to the repo)
 */
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';

/** Examples kept per dataset. */
export const EXAMPLE_COUNTS: Record<string, number> = {
  mmlu_pro: 40,
  theoremqa: 40,
  alpaca_eval: 30,
  vicuna_bench: 20,
};
/** Salt of the hash that orders example ids; changing it picks another subset. */
const SELECTION_SALT = 'errormap-examples-v1';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = resolve(process.argv[2] ?? join(repoRoot, '..', 'shared', 'data'));
const outDir = join(repoRoot, 'examples', 'data');

function rank(exampleId: string): string {
  return createHash('sha256').update(`${SELECTION_SALT}\u0000${exampleId}`).digest('hex');
}

async function readRows(file: string): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const record of createReadStream(file).pipe(parse({ bom: true }))) rows.push(record as string[]);
  return rows;
}

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  for (const [dataset, count] of Object.entries(EXAMPLE_COUNTS)) {
    const [header, ...rows] = await readRows(join(sourceDir, dataset, `${dataset}.csv`));
    const idColumn = header.indexOf('example_id');
    const ids = [...new Set(rows.map((r) => r[idColumn]))];
    // The examples whose salted hashes sort first: stable, and independent of the file's row order.
    const chosen = new Set([...ids].sort((a, b) => (rank(a) < rank(b) ? -1 : 1)).slice(0, count));
    const kept = rows.filter((r) => chosen.has(r[idColumn]));
    const out = join(outDir, `${dataset}.csv`);
    writeFileSync(out, stringify([header, ...kept]));
    process.stdout.write(`${out}: ${chosen.size} examples, ${kept.length} rows\n`);
  }
}

await main();
