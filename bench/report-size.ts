/**
 * Size of the single-file report of a run with 10,000 analysed failures and realistic text lengths
 * (5-shot style inputs of 2-9k characters, outputs of 0.3-5k).
 *   npx tsx bench/report-size.ts [failures]        target: < 20 MB
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHtmlReport } from '../src/report/html-report.js';
import { makeRunDir, type SampleText } from '../test/support/make-run-dir.js';
import { ensureViewerBuilt } from './viewer-browser.js';

const failures = Number(process.argv[2] ?? 10_000);
const sentence =
  'The following are multiple choice questions (with answers) about physics; think step by step and finish with "the answer is (X)". ';
const reasoning = 'Step: we apply the conservation of energy, substitute the given values and simplify the expression carefully. ';

function texts(n: number): SampleText[] {
  return Array.from({ length: n }, (_, i) => ({
    input: `Example ${i}. ${sentence.repeat(16 + ((i * 37) % 56))}`,
    output: `Answer ${i}. ${reasoning.repeat(3 + ((i * 53) % 45))} The answer is (${'ABCDEFGHIJ'[i % 10]}).`,
    reference: 'ABCDEFGHIJ'[(i + 3) % 10],
  }));
}

ensureViewerBuilt();
const dir = mkdtempSync(join(tmpdir(), 'errormap-size-'));
try {
  const run = makeRunDir(join(dir, 'run'), {
    failures,
    texts: texts(Math.ceil(failures / 3)),
  });
  const t = performance.now();
  const written = writeHtmlReport(run.dir);
  const mb = written.bytes / 1e6;
  process.stdout.write(
    `report-size: ${written.failures.toLocaleString('en-US')} failures → ${mb.toFixed(2)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s, ${written.truncatedTexts} texts cut (target < 20 MB) ${mb < 20 ? 'OK' : 'TOO BIG'}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
