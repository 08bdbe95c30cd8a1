import { createReadStream } from 'node:fs';
import chain from 'stream-chain';
import { pick } from 'stream-json/filters/pick.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import { streamValues } from 'stream-json/streamers/stream-values.js';
import { InputError } from '../errors.js';
import { pythonJsonParser } from './python-json.js';
import { unreadable } from './row-to-prediction.js';

/**
 * Streams the elements of the array at `path` (dot-separated, e.g. "request_states" or "results.results")
 * inside a JSON file, one assembled element at a time, so files larger than memory can be read.
 * NaN, Infinity and -Infinity as Python writes them read as numbers (python-json.ts).
 * Yields nothing when the path is absent.
 */
export async function* streamJsonArray(file: string, path: string | undefined): AsyncGenerator<{ index: number; value: unknown }> {
  const stages: unknown[] = [createReadStream(file), ...pythonJsonParser()];
  if (path) stages.push(pick({ filter: path }));
  stages.push(streamArray());
  const pipeline = chain(stages as never);
  try {
    for await (const item of pipeline as AsyncIterable<{ key: number; value: unknown }>) {
      yield { index: item.key, value: item.value };
    }
  } catch (error) {
    throw jsonError(file, path, error);
  } finally {
    pipeline.destroy();
  }
}

/**
 * Returns the values at the given top-level-relative paths (exact dot paths), assembling only those.
 * One pass over the file; a path that is absent is absent from the result.
 */
export async function pickJsonValues(file: string, paths: string[]): Promise<Map<string, unknown>> {
  const found = new Map<string, unknown>();
  const wanted = new Set(paths);
  const order: string[] = [];
  const filter = (stack: (string | number | null)[]) => {
    const key = stack.join('.');
    if (!wanted.has(key)) return false;
    if (!order.includes(key)) order.push(key);
    return true;
  };
  const pipeline = chain([createReadStream(file), ...pythonJsonParser(), pick({ filter }), streamValues()] as never);
  let i = 0;
  try {
    for await (const item of pipeline as AsyncIterable<{ key: number; value: unknown }>) {
      found.set(order[i] ?? String(i), item.value);
      i += 1;
      if (found.size === wanted.size) break;
    }
  } catch (error) {
    throw jsonError(file, paths.join(', '), error);
  } finally {
    pipeline.destroy();
  }
  return found;
}

/**
 * True when some value whose path matches `where` (the parser's key stack, e.g. ['samples', 3, 'epoch'])
 * satisfies `test`. Only matching values are assembled; stops at the first hit.
 */
export async function someJsonValue(
  file: string,
  where: (stack: (string | number | null)[]) => boolean,
  test: (value: unknown) => boolean,
): Promise<boolean> {
  const pipeline = chain([createReadStream(file), ...pythonJsonParser(), pick({ filter: where }), streamValues()] as never);
  try {
    for await (const item of pipeline as AsyncIterable<{ value: unknown }>) if (test(item.value)) return true;
  } catch (error) {
    throw jsonError(file, undefined, error);
  } finally {
    pipeline.destroy();
  }
  return false;
}

function jsonError(file: string, path: string | undefined, error: unknown): InputError {
  if (error instanceof InputError) return error;
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') return unreadable(file, error);
  const reason = error instanceof Error ? error.message : String(error);
  return new InputError({ file, field: path, problem: `not valid JSON (${reason})` });
}
