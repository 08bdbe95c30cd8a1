import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { InputError } from '../errors.js';
import { unreadable } from './row-to-prediction.js';

/** A zip file opened for reading entries one at a time (yauzl reads the central directory, never the whole file). */
export interface ZipArchive {
  /** Entry names mapped to entries, in the order the archive lists them. */
  entries: Map<string, Entry>;
  /** Decompresses and parses one JSON entry. */
  readJson(name: string): Promise<unknown>;
  close(): void;
}

export async function openZipArchive(file: string): Promise<ZipArchive> {
  let zip: ZipFile;
  try {
    zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') throw unreadable(file, error);
    throw new InputError({ file, problem: `not a readable zip archive (${(error as Error).message})` });
  }
  const entries = new Map<string, Entry>();
  try {
    for await (const entry of zip.eachEntry()) {
      if (!entry.fileName.endsWith('/')) entries.set(entry.fileName, entry);
    }
  } catch (error) {
    zip.close();
    throw new InputError({ file, problem: `corrupt zip archive (${(error as Error).message})` });
  }
  return {
    entries,
    async readJson(name) {
      const entry = entries.get(name);
      if (!entry) throw new InputError({ file, field: name, problem: `the archive has no entry ${name}` });
      let text: string;
      try {
        text = await readAll(await zip.openReadStreamPromise(entry));
      } catch (error) {
        throw new InputError({ file, field: name, problem: `cannot decompress the entry (${(error as Error).message})` });
      }
      try {
        return JSON.parse(text);
      } catch (error) {
        throw new InputError({ file, field: name, problem: `the entry is not valid JSON (${(error as Error).message})` });
      }
    },
    close: () => zip.close(),
  };
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
