/**
 * Cost of the UTF-8 check every CSV and JSONL byte passes through: throughput of Utf8Check against a
 * plain PassThrough on the same 64 KiB chunks, for valid text and for text with an invalid byte per line.
 * Run: npx tsx bench/utf8-check.ts [megabytes]
 */
import { PassThrough, Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Utf8Check } from '../src/ingest/utf8-check.js';

const megabytes = Number(process.argv[2] ?? 200);
const line = Buffer.from('q42,model-a,"Quelle est la dérivée de x²? 数学 🙂",answer text of a typical length,0.5\n');
const invalidLine = Buffer.concat([line.subarray(0, 20), Buffer.from([0xe9]), line.subarray(20)]);

function chunks(template: Buffer): Buffer[] {
  const chunk = Buffer.concat(Array.from({ length: Math.ceil(65_536 / template.length) }, () => template));
  return Array.from({ length: Math.ceil((megabytes * 1_048_576) / chunk.length) }, () => chunk);
}

async function mbPerSecond(data: Buffer[], through: () => Transform): Promise<number> {
  const started = process.hrtime.bigint();
  await pipeline(Readable.from(data), through(), async (source: AsyncIterable<Buffer>) => {
    for await (const _ of source);
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return data.reduce((n, c) => n + c.length, 0) / 1_048_576 / seconds;
}

for (const [name, template] of [
  ['valid UTF-8', line],
  ['one invalid byte per line', invalidLine],
] as const) {
  const data = chunks(template);
  // Best of three, so warm-up and garbage collection do not decide the figure.
  const best = async (through: () => Transform) =>
    Math.max(...[await mbPerSecond(data, through), await mbPerSecond(data, through), await mbPerSecond(data, through)]);
  const plain = await best(() => new PassThrough());
  const checked = await best(() => new Utf8Check(() => {}));
  console.log(`${name}: PassThrough ${plain.toFixed(0)} MB/s, Utf8Check ${checked.toFixed(0)} MB/s (${megabytes} MB)`);
}
