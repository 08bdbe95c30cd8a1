import { randomBytes } from 'node:crypto';
import { closeSync, createWriteStream, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { RUN_FORMAT_VERSION, type RunRecord, runRecordSchema } from '../contracts/run-record.js';
import { ErrormapError } from '../errors.js';

/**
 * Every file of a run directory, by role. This is the only place their names are spelled:
 * commands, the pipeline, the report and the viewer ask for `runFile(dir, role)`.
 */
export const RUN_FILES = {
  database: 'errormap.db',
  record: 'run.json',
  taxonomy: 'taxonomy.json',
  errors: 'errors.csv',
  analyses: 'analyses.jsonl',
  unanalysed: 'unanalysed.csv',
  signaturesCsv: 'signatures.csv',
  signaturesJson: 'signatures.json',
  report: 'report.html',
  validation: 'validation.json',
  lock: 'errormap.lock',
} as const;

export type RunFileRole = keyof typeof RUN_FILES;

export function runFile(dir: string, role: RunFileRole): string {
  return join(dir, RUN_FILES[role]);
}

/** A temporary name beside `path` that no other writer (another process, another call) can share. */
function temporaryName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Writes a file so that readers see either the old content or the whole new one, never a part:
 * a unique temporary name in the same folder, flushed to disk, then renamed over the target.
 */
export function writeFileAtomic(path: string, text: string): void {
  const temporary = temporaryName(path);
  try {
    writeFileSync(temporary, text);
    moveIntoPlace(temporary, path);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw e;
  }
}

const WRITE_BUFFER_BYTES = 1 << 20;

/** `writeFileAtomic` for output produced as a stream (large CSV files); `write` ends the stream it is given. */
export async function writeStreamAtomic(path: string, write: (out: NodeJS.WritableStream) => Promise<void>): Promise<void> {
  const temporary = temporaryName(path);
  try {
    // Large writes: the default 16 KB buffer makes megabytes of rows wait on thousands of small writes.
    const out = createWriteStream(temporary, { highWaterMark: WRITE_BUFFER_BYTES });
    const closed = new Promise<void>((resolve, reject) => {
      out.on('close', () => resolve());
      out.on('error', reject);
    });
    await write(out);
    await closed;
    moveIntoPlace(temporary, path);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw e;
  }
}

/** Flushes a finished temporary file to disk, then renames it over `path` (readers see the old file or the new, never a part). */
function moveIntoPlace(temporary: string, path: string): void {
  const fd = openSync(temporary, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

/** The text of a run file; a missing or empty file is a clear RUN_INVALID error, not a parser's stack. */
export function readRunText(dir: string, role: RunFileRole): string {
  const file = runFile(dir, role);
  if (!existsSync(file)) throw new ErrormapError('RUN_INVALID', `${file}: missing; run \`errormap run\` on this directory again`);
  const text = readFileSync(file, 'utf8');
  if (text.trim() === '') throw new ErrormapError('RUN_INVALID', `${file}: empty; run \`errormap run\` on this directory again`);
  return text;
}

/** A run file parsed as JSON, with the same clear errors as `readRunText`. */
export function readRunJson(dir: string, role: RunFileRole): unknown {
  const text = readRunText(dir, role);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ErrormapError('RUN_INVALID', `${runFile(dir, role)}: cannot be read as JSON (${(e as Error).message})`);
  }
}

export function writeRunJson(dir: string, role: RunFileRole, value: unknown): string {
  const file = runFile(dir, role);
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
  return file;
}

/** run.json, checked: a newer format is refused, an older one read as today, a malformed one named. */
export function readRecord(dir: string): RunRecord {
  const raw = readRunJson(dir, 'record');
  const file = runFile(dir, 'record');
  const version = (raw as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version > RUN_FORMAT_VERSION) {
    throw new ErrormapError('RUN_INVALID', `${dir}: written by a newer errormap (run format ${version}); upgrade errormap to read it`);
  }
  const parsed = runRecordSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ErrormapError('RUN_INVALID', `${file}: field "${issue.path.join('.')}": ${issue.message}`);
  }
  return parsed.data;
}

/** run.json of a run that finished; any other status says why and how to complete it. */
export function readFinishedRecord(dir: string): RunRecord {
  const record = readRecord(dir);
  // An incomplete run has all its files; what it misses is listed in the record and unanalysed.csv.
  if (record.status !== 'finished' && record.status !== 'incomplete') {
    const why = record.status === 'failed' && record.error ? ` (${record.error})` : '';
    throw new ErrormapError(
      'RUN_INVALID',
      `${dir}: the run did not finish (status "${record.status}"${why}); run the same command again to complete it`,
    );
  }
  return record;
}

export function writeRecord(dir: string, record: RunRecord): void {
  writeRunJson(dir, 'record', record);
}

/** For input folder walks: why a folder is a run directory (its files are outputs, never inputs), or undefined. */
export async function runDirectoryReason(folder: string): Promise<string | undefined> {
  return access(runFile(folder, 'database')).then(
    () => `an errormap run directory (it holds ${RUN_FILES.database})`,
    () => undefined,
  );
}
