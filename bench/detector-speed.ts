// Detector time per megabyte of output, on texts shaped like the slow cases (a loop, one line with no
// newline, prose, code), the median of several runs after a warm-up pass; texts past
// MAX_DETECT_CHARS are read only in part (head and tail), so try 0.0625 (under the cap) and 20 (far over it):
//   npx tsx bench/detector-speed.ts [megabytes]

import type { DetectContext } from '../src/detect/finding.js';
import { detectFailure } from '../src/detect/run-detectors.js';

const megabytes = Number(process.argv[2] ?? 4);
const size = Math.round(megabytes * 1024 * 1024);
const fill = (unit: string) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
const prose = Array.from({ length: 400 }, (_, i) => `Sentence ${i} explains step ${i % 17} of the method with ${i * 7} units. `).join('');
const shapes: Record<string, string> = {
  'one repeated line': fill('The answer depends on the value of x, which we compute again.\n'),
  'no newline at all': fill('word another thing said here, '),
  'varied prose': fill(`${prose}\n`),
  'code without a closing fence': `\`\`\`python\n${fill('    total = total + values[i] * weights[i]\n')}`,
  'random letters': Array.from({ length: size }, (_, i) => String.fromCharCode(97 + ((i * 7919) % 26))).join(''),
};

function context(outputText: string): DetectContext {
  const failure = {
    id: 'bench',
    dataset: 'bench',
    exampleId: '1',
    model: 'm',
    inputText: 'Think step by step and then finish your answer with "the answer is (X)".\nA. one\nB. two\nC. three\nD. four',
    outputText,
    score: 0,
    threshold: 1,
    correctAnswer: 'B. two',
    metadata: {},
    source: { file: 'bench', line: 1 },
  };
  return { failure, references: [], sameExample: [failure] };
}

const RUNS = 7;
// One untimed pass first, so the figures are of compiled code, not of the JIT warming up.
for (const text of Object.values(shapes)) detectFailure(context(text));
console.log(`detector time per MB (${megabytes} MB per text, median of ${RUNS} runs)`);
let worst = 0;
for (const [name, text] of Object.entries(shapes)) {
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    detectFailure(context(text));
    runs.push(performance.now() - start);
  }
  const perMb = runs.sort((a, b) => a - b)[Math.floor(RUNS / 2)] / megabytes;
  worst = Math.max(worst, perMb);
  console.log(`${name.padEnd(32)} ${perMb.toFixed(1).padStart(8)} ms/MB`);
}
console.log(`${'worst'.padEnd(32)} ${worst.toFixed(1).padStart(8)} ms/MB (target ≤ 50)`);
