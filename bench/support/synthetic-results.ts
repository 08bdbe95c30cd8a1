import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { stringify } from 'csv-stringify/sync';

const WORDS = (
  'the of a value energy force mass rate option answer because therefore step compute total given ' +
  'assume market price cell protein court law theory signal circuit current voltage atom bond reaction ' +
  'equation integral series limit function matrix vector probability sample mean variance error test'
).split(' ');

/** Deterministic filler text: `n` characters of words chosen by a small linear congruential generator. */
function text(seed: number, n: number): string {
  let x = seed >>> 0 || 1;
  const out: string[] = [];
  let length = 0;
  while (length < n) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    const word = WORDS[x % WORDS.length];
    out.push(word);
    length += word.length + 1;
  }
  return out.join(' ').slice(0, n);
}

/**
 * Writes a synthetic multiple-choice benchmark in errormap's CSV layout: `examples` examples answered
 * by 6 models, of which 4 fail each example (score 0) and 2 answer it correctly, so a run with
 * --ratio 1 analyses 4 × examples failures with 2 correct outputs as references each.
 */
export async function writeSyntheticResults(file: string, examples: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('example_id,model,input_text,output_text,score,correct_answer\n');
  for (let e = 0; e < examples; e++) {
    const input = `Question ${e}: ${text(e * 7 + 1, 1400)}\nOptions: A. ${text(e, 30)} B. ${text(e + 1, 30)} C. ${text(e + 2, 30)} D. ${text(e + 3, 30)}`;
    const rows = [];
    for (let m = 0; m < 6; m++) {
      const correct = (e + m) % 3 === 0;
      const answer = correct ? 'A' : 'BCD'[(e + m) % 3];
      rows.push([`q${e}`, `model-${m}`, input, `${text(e * 13 + m, 700)} the answer is (${answer})`, correct ? 1 : 0, 'A']);
    }
    if (!out.write(stringify(rows))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
