import { extname } from 'node:path';
import { InputError } from '../errors.js';
import { inspectHeader, inspectSampleToPrediction } from './inspect-sample.js';
import { pickJsonValues, streamJsonArray } from './json-stream.js';
import type { InputReader, Prediction, ReaderOptions } from './prediction.js';
import { openZipArchive } from './zip-archive.js';

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
  const zip = await openZipArchive(file);
  try {
    const headerName = zip.entries.has('header.json') ? 'header.json' : '_journal/start.json';
    if (!zip.entries.has(headerName)) {
      throw new InputError({ file, field: 'header.json', problem: 'not an Inspect log: the archive has neither header.json nor _journal/start.json' });
    }
    const header = inspectHeader(await zip.readJson(headerName), file, `${headerName}:eval`);
    const sampleNames = [...zip.entries.keys()].filter((n) => SAMPLE_ENTRY.test(n));
    const maxEpoch = Math.max(0, ...sampleNames.map((n) => Number(SAMPLE_ENTRY.exec(n)?.[2] ?? 0)));
    const severalEpochs = (header.epochs ?? 1) > 1 || maxEpoch > 1;
    let record = 0;
    for (const name of sampleNames) {
      record += 1;
      const sample = await zip.readJson(name);
      yield inspectSampleToPrediction(sample, {
        header,
        file,
        record,
        where: name,
        severalEpochs,
        metric: options.metric,
        dataset: options.dataset,
      });
    }
  } finally {
    zip.close();
  }
}

async function* readJsonLog(file: string, options: ReaderOptions): AsyncGenerator<Prediction> {
  // eval and results come before samples in an EvalLog, so this pass stops early.
  const top = await pickJsonValues(file, ['eval', 'results']);
  const header = inspectHeader({ eval: top.get('eval'), results: top.get('results') }, file);
  const severalEpochs = (header.epochs ?? 1) > 1;
  let any = false;
  for await (const { index, value } of streamJsonArray(file, 'samples')) {
    any = true;
    yield inspectSampleToPrediction(value, {
      header,
      file,
      record: index + 1,
      where: `samples[${index}]`,
      severalEpochs,
      metric: options.metric,
      dataset: options.dataset,
    });
  }
  if (!any) throw new InputError({ file, field: 'samples', problem: 'the log has no samples (was it written with --no-log-samples?)' });
}
