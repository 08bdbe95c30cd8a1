/**
 * Screenshots of every viewer view into docs/screenshots/. Usage:
 *   npx tsx scripts/screenshots.ts [--texts CSV]   (CSV with input_text, output_text, correct_answer columns for real texts)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { ensureViewerBuilt, launchChromium } from '../bench/viewer-browser.js';
import { startViewServer } from '../src/report/view-server.js';
import { makeRunDir, type SampleText } from '../test/support/make-run-dir.js';

const OUT = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));

function readTexts(): SampleText[] | undefined {
  const i = process.argv.indexOf('--texts');
  if (i < 0) return undefined;
  const rows = parse(readFileSync(process.argv[i + 1]), {
    columns: true,
    bom: true,
  }) as Record<string, string>[];
  return rows.slice(0, 400).map((r) => ({
    input: r.input_text,
    output: r.output_text,
    reference: r.correct_answer,
  }));
}

async function main(): Promise<void> {
  ensureViewerBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'errormap-shots-'));
  const run = makeRunDir(join(dir, 'mmlu-pro-demo'), {
    failures: 1800,
    texts: readTexts(),
    models: ['gemini-1.5-pro', 'llama-3.1-70b', 'jamba-1.5-large', 'qwen1.5-72b', 'mixtral-8x7b', 'mistral-7b'],
  });
  const server = await startViewServer(run.dir);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({
      viewport: { width: 1440, height: 900 },
      deviceScaleFactor: 1,
    });
    const top = run.taxonomy.children[0];
    const shots: [string, string][] = [
      ['explorer', '#/explorer'],
      ['explorer-zoomed', `#/explorer?node=${top.id}`],
      ['failures', `#/failures?node=${top.id}&open=${top.children[0].failureIds?.[0] ?? run.taxonomy.children[1].children[0].failureIds?.[0]}`],
      ['signatures', '#/signatures'],
      ['profiles-incidence', '#/signatures?by=dataset&metric=incidence'],
      ['compare', '#/compare?a=gemini-1.5-pro&b=mistral-7b'],
      ['run', '#/run'],
    ];
    const firstLeaf = (n: typeof top): string | undefined => (n.children.length ? firstLeaf(n.children[0]) : n.failureIds?.[0]);
    shots[2][1] = `#/failures?node=${top.id}&open=${firstLeaf(top)}`;
    for (const [name, hash] of shots) {
      await page.goto(`${server.url}${hash}`);
      await page.waitForSelector('.content > *');
      await page.waitForTimeout(400);
      await page.screenshot({
        path: join(OUT, `${name}.png`),
        fullPage: name === 'run' || name === 'failures',
      });
      process.stdout.write(`docs/screenshots/${name}.png\n`);
    }
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
