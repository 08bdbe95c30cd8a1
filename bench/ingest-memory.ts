/**
 * Do large inputs stream? Generates a ~1 GB JSONL (reference layout) and a ~1 GB Inspect `.eval`
 * in a temporary folder (deleted afterwards), reads each through `readInputs` in a child process,
 * and prints rows, seconds and peak RSS (sampled every 50 ms, and from /usr/bin/time -v when present).
 *
 *   npx tsx bench/ingest-memory.ts [--gb 1]
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readInputs } from '../src/ingest/read-inputs.js';

const GB = 1e9;

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--child') return child(argv[1]);
  const gbIndex = argv.indexOf('--gb');
  const gigabytes = gbIndex >= 0 ? Number(argv[gbIndex + 1]) : 1;
  const dir = mkdtempSync(join(tmpdir(), 'errormap-ingest-bench-'));
  try {
    const jsonl = join(dir, 'predictions.jsonl');
    let started = Date.now();
    const jsonlRows = await writeJsonl(jsonl, gigabytes * GB);
    log(`generated ${jsonl}: ${jsonlRows} rows, ${mb(statSync(jsonl).size)} in ${seconds(started)} s`);
    report('jsonl', measure(jsonl));
    reportRun(measureRun(jsonl, join(dir, 'run')));
    rmSync(jsonl);
    rmSync(join(dir, 'run'), { recursive: true, force: true });

    const evalFile = join(dir, 'bench.eval');
    started = Date.now();
    const evalRows = writeEval(dir, evalFile, gigabytes * GB);
    log(`generated ${evalFile}: ${evalRows} samples, ${mb(statSync(evalFile).size)} in ${seconds(started)} s`);
    report('inspect .eval', measure(evalFile));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** In the child: read every prediction, sampling RSS every 50 ms; print one JSON line. */
async function child(path: string): Promise<void> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const started = Date.now();
  let rows = 0;
  for await (const _ of readInputs([path])) rows += 1;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  process.stdout.write(`${JSON.stringify({ rows, seconds: (Date.now() - started) / 1000, peakRssBytes: peak })}\n`);
}

interface Measurement {
  rows: number;
  seconds: number;
  peakRssBytes: number;
  maxRssFromTime?: number;
  sizeBytes: number;
}

function measure(path: string): Measurement {
  const node = [process.execPath, '--import', 'tsx', import.meta.filename, '--child', path];
  const useTime = existsSync('/usr/bin/time');
  const result = useTime
    ? spawnSync('/usr/bin/time', ['-v', ...node], { encoding: 'utf8' })
    : spawnSync(node[0], node.slice(1), { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`child failed: ${result.stderr}`);
  const parsed = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as Measurement;
  const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr ?? '');
  return { ...parsed, maxRssFromTime: kb ? Number(kb[1]) * 1024 : undefined, sizeBytes: statSync(path).size };
}

function report(label: string, m: Measurement): void {
  const time = m.maxRssFromTime ? `, max RSS (time -v) ${mb(m.maxRssFromTime)}` : '';
  log(
    `${label}: ${mb(m.sizeBytes)} file, ${m.rows} rows in ${m.seconds.toFixed(1)} s (${Math.round(m.rows / m.seconds)} rows/s), peak RSS ${mb(m.peakRssBytes)}${time}`,
  );
}

/** The whole `errormap run` (offline analyst, 0.1% sample) on the file: predictions stream into the run database. */
function measureRun(path: string, out: string): { seconds: number; maxRss?: number; sizeBytes: number } {
  const cli = [
    process.execPath,
    '--import',
    'tsx',
    new URL('../src/cli/entry.ts', import.meta.url).pathname,
    'run',
    path,
    '--ratio',
    '0.001',
    '--out',
    out,
    '-q',
  ];
  const started = Date.now();
  const useTime = existsSync('/usr/bin/time');
  const result = useTime
    ? spawnSync('/usr/bin/time', ['-v', ...cli], { encoding: 'utf8' })
    : spawnSync(cli[0], cli.slice(1), { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`errormap run failed: ${result.stderr}`);
  const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr ?? '');
  return { seconds: (Date.now() - started) / 1000, maxRss: kb ? Number(kb[1]) * 1024 : undefined, sizeBytes: statSync(path).size };
}

function reportRun(m: { seconds: number; maxRss?: number; sizeBytes: number }): void {
  log(
    `errormap run on the jsonl: ${mb(m.sizeBytes)} file in ${m.seconds.toFixed(1)} s${m.maxRss ? `, max RSS (time -v) ${mb(m.maxRss)}` : ' (install GNU time for max RSS)'}`,
  );
}

/** Text that does not repeat, so neither the reader nor the zip can shortcut it. */
function noise(bytes: number): string {
  return randomBytes(Math.ceil((bytes * 3) / 4))
    .toString('base64')
    .slice(0, bytes);
}

async function writeJsonl(file: string, targetBytes: number): Promise<number> {
  const out = createWriteStream(file);
  let written = 0;
  let rows = 0;
  while (written < targetBytes) {
    const row = {
      dataset: `bench-${rows % 4}`,
      example_id: `ex-${Math.floor(rows / 3)}`,
      model: `model-${rows % 3}`,
      input_text: `Question ${rows}: ${noise(2000)}`,
      output_text: noise(1000),
      score: rows % 5 === 0 ? 0 : 1,
      correct_answer: noise(40),
      subject: `subject-${rows % 57}`,
    };
    const line = `${JSON.stringify(row)}\n`;
    written += line.length;
    rows += 1;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

/** Writes sample files and a header, then zips them (the `zip` command, deflate level 1) into an Inspect `.eval`. */
function writeEval(dir: string, file: string, targetBytes: number): number {
  const src = join(dir, 'eval-src');
  mkdirSync(join(src, 'samples'), { recursive: true });
  const eval_ = { task: 'bench_task', model: 'bench/model', config: {}, dataset: { name: 'bench' } };
  writeFileSync(
    join(src, 'header.json'),
    JSON.stringify({ version: 2, status: 'success', eval: eval_, results: { scores: [{ name: 'match', scorer: 'match' }] } }),
  );
  // Random base64 deflates to about 3/4 of its size; the sample's other text adds ~2 kB.
  const perSample = 15_000;
  const samples = Math.ceil(targetBytes / (perSample * 0.78));
  for (let i = 1; i <= samples; i++) {
    const sample = {
      id: i,
      epoch: 1,
      input: [{ role: 'user', content: `Question ${i}: ${noise(1000)}` }],
      target: noise(30),
      output: { model: 'bench/model', choices: [], completion: noise(1000) },
      scores: { match: { value: i % 4 === 0 ? 'I' : 'C', answer: 'x', explanation: 'bench' } },
      events: [{ event: 'model', note: noise(perSample - 2100) }],
      metadata: {},
      attachments: {},
    };
    writeFileSync(join(src, 'samples', `${i}_epoch_1.json`), JSON.stringify(sample));
  }
  const zip = spawnSync('zip', ['-q', '-1', '-r', file, 'header.json', 'samples'], { cwd: src, stdio: 'inherit' });
  if (zip.status !== 0) throw new Error('zip failed (is the zip command installed?)');
  rmSync(src, { recursive: true, force: true });
  return samples;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);
const log = (s: string) => process.stdout.write(`${s}\n`);

await main(process.argv.slice(2));
