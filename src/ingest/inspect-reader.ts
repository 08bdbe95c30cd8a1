import { extname } from 'node:path';
import { InputError } from '../errors.js';
import { inspectHeader, inspectSampleToPrediction } from './inspect-sample.js';
import { pickJsonValues, someJsonValue, streamJsonArray } from './json-stream.js';
import type { InputReader, Prediction, ReaderOptions } from './prediction.js';
import { zipEntries } from './zip-archive.js';

/**
 * Reads Inspect AI eval logs: `.eval` archives (zip of header.json or _journal/start.json plus
 * samples/<id>_epoch_<n>.json, read one entry at a time) and `.json` logs (EvalLog with samples, streamed).
 */
export const inspectReader: InputReader = {
  name: 'inspect',
  detect(path, head, isDirectory) {
    if (isDirectory) return false;
    const ext = extname(path).toLowerCase();
    if (ext === '.eval') return head.subarray(0, 4).equals(ZIP_MAGIC);
    if (ext !== '.json') return false;
    const text = head.toString('utf8');
    return /^\s*\{\s*"version"\s*:\s*\d+\s*,\s*"status"\s*:/.test(text) && /"eval"\s*:\s*\{/.test(text);
  },
  read(path, options) {
    return extname(path).toLowerCase() === '.eval' ? readEvalArchive(path, options) : readJsonLog(path, options);
  },
};

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const SAMPLE_ENTRY = /^samples\/(.+)_epoch_(\d+)\.json$/;

async function* readEvalArchive(file: string, options: ReaderOptions): AsyncGenerator<Prediction> {
  // Inspect writes header.json last, so a first walk finds the header (and the epochs); a second reads the samples.
  let header: unknown;
  let journalStart: unknown;
  let maxEpoch = 0;
  for await (const entry of zipEntries(file)) {
    if (entry.name === 'header.json') header = await entry.readJson();
    else if (entry.name === '_journal/start.json') journalStart = await entry.readJson();
    else maxEpoch = Math.max(maxEpoch, Number(SAMPLE_ENTRY.exec(entry.name)?.[2] ?? 0));
  }
  if (header === undefined && journalStart === undefined) {
    throw new InputError({
      file,
      field: 'header.json',
      problem: 'not an Inspect log: the archive has neither header.json nor _journal/start.json',
    });
  }
  const spec = inspectHeader(header ?? journalStart, file, `${header !== undefined ? 'header.json' : '_journal/start.json'}:eval`);
  const severalEpochs = (spec.epochs ?? 1) > 1 || maxEpoch > 1;
  const metric = namedMetricCheck(file, options.metric, spec.scorers);
  let record = 0;
  for await (const entry of zipEntries(file)) {
    if (!SAMPLE_ENTRY.test(entry.name)) continue;
    record += 1;
    yield inspectSampleToPrediction(await entry.readJson(), {
      header: spec,
      file,
      record,
      where: entry.name,
      severalEpochs,
      metric: options.metric,
      dataset: options.dataset,
      onScorerFound: metric.found,
    });
  }
  metric.check(record);
}

/**
 * A sample without the scorer --metric names is kept as not analysable; when no sample at all has it, the
 * name is more likely a typo than a scorer every sample missed, so the file is refused.
 */
function namedMetricCheck(
  file: string,
  metric: string | undefined,
  scorers: string[],
): { found: () => void; check: (samples: number) => void } {
  let found = false;
  return {
    found: () => {
      found = true;
    },
    check: (samples) => {
      if (metric === undefined || found || samples === 0) return;
      const known = scorers.length > 0 ? `; the log's scorers: ${scorers.join(', ')}` : '';
      throw new InputError({ file, field: 'scores', problem: `no sample has a score "${metric}" (check --metric${known})` });
    },
  };
}

async function* readJsonLog(file: string, options: ReaderOptions): AsyncGenerator<Prediction> {
  // eval and results come before samples in an EvalLog, so this pass stops early.
  const top = await pickJsonValues(file, ['eval', 'results']);
  const header = inspectHeader({ eval: top.get('eval'), results: top.get('results') }, file);
  // Without eval.config.epochs, look at the samples' epochs first so ids of repeated samples stay apart.
  const severalEpochs =
    header.epochs !== undefined
      ? header.epochs > 1
      : await someJsonValue(
          file,
          (stack) => stack.length === 3 && stack[0] === 'samples' && stack[2] === 'epoch',
          (epoch) => typeof epoch === 'number' && epoch > 1,
        );
  const metric = namedMetricCheck(file, options.metric, header.scorers);
  let samples = 0;
  for await (const { index, value } of streamJsonArray(file, 'samples')) {
    samples += 1;
    yield inspectSampleToPrediction(value, {
      header,
      file,
      record: index + 1,
      where: `samples[${index}]`,
      severalEpochs,
      metric: options.metric,
      dataset: options.dataset,
      onScorerFound: metric.found,
    });
  }
  metric.check(samples);
  if (samples === 0)
    throw new InputError({ file, field: 'samples', problem: 'the log has no samples (was it written with --no-log-samples?)' });
}
