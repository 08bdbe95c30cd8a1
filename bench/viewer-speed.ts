/**
 * Time from navigation start to an interactive explorer on a served run with 100,000 analysed failures:
 * the page's first render sets html[data-ready], then a click on a category must zoom (URL and breadcrumb change).
 * The run directory has signatures.json, as `errormap run` writes it; the bench also times server start-up
 * without it (signatures computed from the run) and the first answer of the profiles and noise endpoints.
 *   npx tsx bench/viewer-speed.ts [failures]        target: < 2 s
 */
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startViewServer } from '../src/report/view-server.js';
import { RUN_FILES } from '../src/store/run-dir.js';
import { makeRunDir } from '../test/support/make-run-dir.js';
import { ensureViewerBuilt, launchChromium } from './viewer-browser.js';

const failures = Number(process.argv[2] ?? 100_000);
ensureViewerBuilt();
const dir = mkdtempSync(join(tmpdir(), 'errormap-speed-'));
try {
  let t = performance.now();
  const run = makeRunDir(join(dir, 'run'), {
    failures,
    models: ['gpt-4o', 'claude-3.5-sonnet', 'llama-3.1-70b', 'qwen2.5-72b', 'mistral-7b', 'gemma-2-9b'],
  });
  process.stdout.write(
    `made a run with ${failures.toLocaleString('en-US')} failures in ${((performance.now() - t) / 1000).toFixed(1)} s\n`,
  );
  t = performance.now();
  const server = await startViewServer(run.dir);
  process.stdout.write(`server ready in ${((performance.now() - t) / 1000).toFixed(2)} s at ${server.url}\n`);
  const browser = await launchChromium();
  try {
    const target = run.taxonomy.children[2];
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const context = await browser.newContext({
        viewport: { width: 1400, height: 900 },
      });
      const page = await context.newPage();
      await page.goto(server.url, { waitUntil: 'commit' });
      await page.waitForSelector('html[data-ready="explorer"]');
      await page.locator(`.icicle .cell[data-node-id="${target.id}"]`).dispatchEvent('click');
      await page.waitForFunction((name) => document.querySelector('.breadcrumb strong')?.textContent === name, target.name);
      const ms = await page.evaluate(() => performance.now()); // performance.now() counts from navigation start
      times.push(ms);
      process.stdout.write(`run ${i + 1}: interactive explorer and a zoom after ${ms.toFixed(0)} ms\n`);
      await context.close();
    }
    for (const api of ['profiles', 'noise']) {
      const start = performance.now();
      const response = await fetch(`${server.url}api/${api}`);
      const bytes = (await response.arrayBuffer()).byteLength;
      process.stdout.write(`first /api/${api}: ${((performance.now() - start) / 1000).toFixed(2)} s, ${(bytes / 1024).toFixed(0)} kB\n`);
    }
    const best = Math.min(...times);
    const median = [...times].sort((a, b) => a - b)[1];
    process.stdout.write(
      `viewer-speed: ${failures.toLocaleString('en-US')} failures, median ${median.toFixed(0)} ms, best ${best.toFixed(0)} ms (target < 2000 ms) ${median < 2000 ? 'OK' : 'SLOW'}\n`,
    );
  } finally {
    await browser.close();
    await server.close();
  }
  renameSync(join(run.dir, RUN_FILES.signaturesJson), join(run.dir, `${RUN_FILES.signaturesJson}.bak`));
  t = performance.now();
  const bare = await startViewServer(run.dir);
  process.stdout.write(
    `server ready without ${RUN_FILES.signaturesJson} (signatures computed from the run) in ${((performance.now() - t) / 1000).toFixed(2)} s\n`,
  );
  await bare.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
