import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { ConfigError, InputError } from '../errors.js';
import { chooseLmEvalFiles } from './lm-eval-folder.js';
import { type InputReader, type Prediction, predictionKey, type ReaderOptions } from './prediction.js';
import { findReader, inputReaders } from './registry.js';
import { unreadable } from './row-to-prediction.js';

/** One input as recorded in the run record. */
export interface InputSummary {
  path: string;
  format: string;
  sha256: string;
  rows: number;
}

export interface ReadInputsOptions extends ReaderOptions {
  /** Reader name that overrides detection (--format). */
  format?: string;
  /** Called once per input after its last prediction, with its summary. */
  onInput?: (summary: InputSummary) => void;
  /**
   * Files or folders a folder walk passes over (the run's own --out when it lies inside an input folder).
   */
  skip?: readonly string[];
  /**
   * Why a folder met on a walk holds outputs, never inputs (an errormap run directory), or undefined;
   * such folders are passed over with a warning. The run directory's owner (store/run-dir) supplies it.
   */
  outputFolderReason?: (folder: string) => Promise<string | undefined>;
  // onWarning (from ReaderOptions) also hears which files a folder walk skipped and why.
}

interface ResolvedInput {
  path: string;
  reader: InputReader;
  isDirectory: boolean;
}

const HEAD_BYTES = 4096;

/**
 * Streams the predictions of every input, in the order given (folders in sorted order).
 * Rejects a (dataset, example_id, model) seen twice anywhere, naming both places.
 */
export async function* readInputs(paths: string[], options: ReadInputsOptions = {}): AsyncGenerator<Prediction> {
  const { format, onInput, skip = [], outputFolderReason, ...readerOptions } = options;
  const walk: FolderWalk = {
    forced: format ? readerNamed(format) : undefined,
    skip: new Set(skip.map((p) => resolve(p))),
    outputFolderReason,
    onWarning: options.onWarning,
  };
  const seen = new Map<string, Prediction['source']>();
  for (const given of paths) {
    for (const input of await resolveInput(given, walk)) {
      let rows = 0;
      for await (const prediction of input.reader.read(input.path, readerOptions)) {
        const key = predictionKey(prediction);
        const first = seen.get(key);
        if (first) {
          throw new InputError({
            file: prediction.source.file,
            line: prediction.source.line,
            field: 'example_id',
            problem:
              `duplicate row for dataset "${prediction.dataset}", example "${prediction.exampleId}", model "${prediction.model}": ` +
              `first seen at ${first.file}, line ${first.line}. ` +
              'If these are two runs of the same evaluation (an lm-eval re-run, one HELM run under two suites), name only one of them',
          });
        }
        seen.set(key, prediction.source);
        rows += 1;
        yield prediction;
      }
      if (onInput) {
        const sha256 = await hashInput(input);
        onInput({ path: input.path, format: input.reader.name, sha256, rows });
      }
    }
  }
}

/** Reads every input into memory and returns the predictions with the per-input summaries for the run record. */
export async function collectInputs(
  paths: string[],
  options: Omit<ReadInputsOptions, 'onInput'> = {},
): Promise<{ predictions: Prediction[]; inputs: InputSummary[] }> {
  const inputs: InputSummary[] = [];
  const predictions: Prediction[] = [];
  for await (const p of readInputs(paths, { ...options, onInput: (s) => inputs.push(s) })) predictions.push(p);
  return { predictions, inputs };
}

function readerNamed(format: string): InputReader {
  const reader = findReader('', Buffer.alloc(0), false, format);
  if (!reader) {
    throw new ConfigError(`unknown input format "${format}" (known: ${inputReaders.map((r) => r.name).join(', ')})`);
  }
  return reader;
}

interface FolderWalk {
  forced: InputReader | undefined;
  /** Resolved paths to pass over. */
  skip: ReadonlySet<string>;
  outputFolderReason?: (folder: string) => Promise<string | undefined>;
  onWarning?: (message: string) => void;
}

/** A path becomes one input (a file, or a folder a reader takes whole) or, for a plain folder, every detected file inside. */
async function resolveInput(path: string, walk: FolderWalk): Promise<ResolvedInput[]> {
  const { forced } = walk;
  const info = await stat(path).catch((error: unknown) => {
    throw unreadable(path, error);
  });
  if (!info.isDirectory()) {
    const reader = forced ?? findReader(path, await readHead(path), false);
    if (!reader) {
      throw new InputError({
        file: path,
        problem: `no reader recognises this file (known formats: ${inputReaders.map((r) => r.name).join(', ')}; use --format)`,
      });
    }
    return [{ path, reader, isDirectory: false }];
  }
  const found = await walkFolder(path, walk);
  if (found.length === 0) throw new InputError({ file: path, problem: 'no readable input file in this folder' });
  return found;
}

async function walkFolder(folder: string, walk: FolderWalk): Promise<ResolvedInput[]> {
  const { forced, onWarning } = walk;
  const wholeFolder = detect(folder, Buffer.alloc(0), true, forced);
  if (wholeFolder) return [{ path: folder, reader: wholeFolder, isDirectory: true }];
  const entries = (await readFolder(folder))
    .filter((e) => !e.name.startsWith('.'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const found: ResolvedInput[] = [];
  const here: ResolvedInput[] = [];
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (walk.skip.has(resolve(path))) continue;
    // A link to a file is followed; a link to a folder is not (it could loop back up the tree).
    const isFile = entry.isFile() || (entry.isSymbolicLink() && (await stat(path).catch(() => undefined))?.isFile());
    if (entry.isDirectory()) {
      // A run directory's own files (analyses, signatures, …) are outputs, never inputs.
      const outputs = await walk.outputFolderReason?.(path);
      if (outputs) {
        onWarning?.(`skipped ${path}: ${outputs}`);
        continue;
      }
      found.push(...(await walkFolder(path, walk)));
    } else if (isFile) {
      const reader = detect(path, await readHead(path), false, forced);
      if (reader) {
        here.push({ path, reader, isDirectory: false });
        found.push(here[here.length - 1]);
      }
    }
  }
  const lmEval = chooseLmEvalFiles(here.filter((i) => i.reader.name === 'lm-eval').map((i) => i.path));
  for (const warning of lmEval.warnings) onWarning?.(warning);
  return found.filter((i) => !lmEval.skipped.has(i.path));
}

/** Inside a folder, --format narrows detection to that reader instead of forcing it on every file. */
function detect(path: string, head: Buffer, isDirectory: boolean, forced: InputReader | undefined): InputReader | undefined {
  if (forced) return forced.detect(path, head, isDirectory) ? forced : undefined;
  return findReader(path, head, isDirectory);
}

async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw unreadable(path, error);
  });
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** sha256 of a file's bytes; for a folder input, of its files' relative paths and hashes in sorted order. */
async function hashInput(input: ResolvedInput): Promise<string> {
  if (!input.isDirectory) return hashFile(input.path);
  const hash = createHash('sha256');
  for (const file of await listFiles(input.path)) {
    hash.update(`${relative(input.path, file)}\u0000${await hashFile(file)}\n`);
  }
  return hash.digest('hex');
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function listFiles(folder: string): Promise<string[]> {
  const files: string[] = [];
  const entries = (await readFolder(folder)).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

/** A folder's entries; a folder that cannot be listed (no permission) is INPUT_UNREADABLE, naming it. */
async function readFolder(folder: string) {
  try {
    return await readdir(folder, { withFileTypes: true });
  } catch (error) {
    throw unreadable(folder, error);
  }
}
