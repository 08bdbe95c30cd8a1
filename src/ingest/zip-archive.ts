import type { Readable } from 'node:stream';
import type { Entry, ZipFile } from 'yauzl';
import { InputError } from '../errors.js';
import { parsePythonJson } from './python-json.js';
import { unreadable } from './row-to-prediction.js';

/** One file in a zip archive; its content is decompressed only when asked for. */
export interface ZipEntry {
  name: string;
  readJson(): Promise<unknown>;
}

/**
 * Walks the entries of a zip archive in the order its central directory lists them, holding none but the
 * current one (yauzl reads the directory lazily and inflates one entry at a time), so memory stays flat
 * however large the archive. An entry can be read only while the walk is at it.
 */
export async function* zipEntries(file: string): AsyncGenerator<ZipEntry> {
  // Loaded here, not at start: only an archive input needs it.
  const { default: yauzl } = await import('yauzl');
  let zip: ZipFile;
  try {
    zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') throw unreadable(file, error);
    throw new InputError({ file, problem: `not a readable zip archive (${(error as Error).message})` });
  }
  try {
    const entries = zip.eachEntry()[Symbol.asyncIterator]();
    while (true) {
      let next: IteratorResult<Entry>;
      try {
        next = await entries.next();
      } catch (error) {
        throw new InputError({ file, problem: `corrupt zip archive (${(error as Error).message})` });
      }
      if (next.done) return;
      const entry = next.value;
      if (entry.fileName.endsWith('/')) continue;
      yield { name: entry.fileName, readJson: () => readJsonEntry(zip, entry, file) };
    }
  } finally {
    zip.close();
  }
}

async function readJsonEntry(zip: ZipFile, entry: Entry, file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readAll(await zip.openReadStreamPromise(entry));
  } catch (error) {
    throw new InputError({ file, field: entry.fileName, problem: `cannot decompress the entry (${(error as Error).message})` });
  }
  try {
    return parsePythonJson(text);
  } catch (error) {
    throw new InputError({ file, field: entry.fileName, problem: `the entry is not valid JSON (${(error as Error).message})` });
  }
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
