/**
 * Speed of the CSV input reader: milliseconds and MB/s to read every Prediction of each file, median of
 * several runs. The machine is shared, so wall-clock time is noisy; the process's CPU time (all its
 * threads: the file reads and the garbage collector too) is printed beside it and varies less.
 * Run: npx tsx bench/csv-read-speed.ts [--runs N] [--reader path/to/csv-reader.ts] [files…]
 * Files default to the shared data (/work/shared/data/*\/*.csv). --reader measures another checkout's
 * reader (for example the one before a change), which must export readCsv.
 * Run with `node --expose-gc --import tsx bench/csv-read-speed.ts` to also print the memory still held
 * when the run keeps the dataset, example id and model of every row, as the read stage does: a field
 * that were a view into the text it was cut from would hold all that text.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { InputReader } from '../src/ingest/prediction.js';

const SHARED_DATA = '/work/shared/data';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '7' }, reader: { type: 'string' } },
});
const runs = Number(values.runs);
const readerPath = values.reader ? resolve(values.reader) : '../src/ingest/csv-reader.js';
const { readCsv } = (await import(readerPath)) as { readCsv: InputReader['read'] };

const files =
  positionals.length > 0
    ? positionals
    : readdirSync(SHARED_DATA, { recursive: true, encoding: 'utf8' })
        .filter((path) => path.endsWith('.csv'))
        .map((path) => join(SHARED_DATA, path))
        .sort();

async function readAll(file: string): Promise<number> {
  let rows = 0;
  for await (const _ of readCsv(file, {})) rows += 1;
  return rows;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`reader: ${readerPath}, median of ${runs} runs`);
let totalMs = 0;
let totalCpuMs = 0;
let totalBytes = 0;
for (const file of files) {
  const bytes = statSync(file).size;
  await readAll(file); // warm-up: module loading and JIT are not part of the figure
  const wall: number[] = [];
  const cpu: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    rows = await readAll(file);
    const used = process.cpuUsage(cpuStarted);
    wall.push(performance.now() - started);
    cpu.push((used.user + used.system) / 1000);
  }
  const [ms, cpuMs] = [median(wall), median(cpu)];
  totalMs += ms;
  totalCpuMs += cpuMs;
  totalBytes += bytes;
  console.log(`${file}: ${rows} rows, ${figures(bytes, ms, cpuMs)}`);
}
console.log(`all files: ${figures(totalBytes, totalMs, totalCpuMs)}`);

const gc = (globalThis as { gc?: () => void }).gc;
if (gc) {
  for (const file of files) {
    gc();
    const before = process.memoryUsage().heapUsed;
    const kept: string[][] = [];
    for await (const p of readCsv(file, {})) kept.push([p.dataset, p.exampleId, p.model]);
    gc();
    const retained = process.memoryUsage().heapUsed - before;
    console.log(`${file}: ${(retained / 1_000_000).toFixed(1)} MB held with the ids of its ${kept.length} rows kept`);
    kept.length = 0;
  }
}

function figures(bytes: number, ms: number, cpuMs: number): string {
  const mb = bytes / 1_000_000;
  return `${mb.toFixed(1)} MB, ${ms.toFixed(0)} ms (${(mb / (ms / 1000)).toFixed(1)} MB/s), CPU ${cpuMs.toFixed(0)} ms`;
}
