/**
 * Screenshots of every viewer view into docs/screenshots/, from a run made by the real pipeline. Usage:
 *   npx tsx scripts/screenshots.ts [--run DIR] [--only NAME]
 * Without --run it runs `errormap run examples/data --ratio 1` (offline judge: detectors only, no network)
 * into a temporary directory. Any finished run directory works, e.g. one made with a judge.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { ensureViewerBuilt, launchChromium } from '../bench/viewer-browser.js';
import type { TaxonomyNode } from '../src/contracts/taxonomy-node.js';
import type { Overview } from '../src/report/view-data.js';
import { startViewServer } from '../src/report/view-server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'docs/screenshots');
const MAX_BYTES = 300_000;

function runFromArgs(): { dir: string; temporary?: string } {
  const i = process.argv.indexOf('--run');
  if (i >= 0) return { dir: process.argv[i + 1] };
  const temporary = mkdtempSync(join(tmpdir(), 'errormap-shots-'));
  const dir = join(temporary, 'examples-data');
  execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/entry.ts', 'run', 'examples/data', '--ratio', '1', '--out', dir, '--quiet'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ERRORMAP_JUDGE: 'offline' },
  });
  return { dir, temporary };
}

/** The top-level category with most subcategories (then most failures), and the first failure filed under it. */
function pickFocus(root: TaxonomyNode): { node: TaxonomyNode; failureId?: string } {
  const node = [...root.children].sort((a, b) => b.children.length - a.children.length || b.count - a.count)[0];
  const first = (n: TaxonomyNode): string | undefined => (n.children.length ? n.children.map(first).find(Boolean) : n.failureIds?.[0]);
  return { node, failureId: first(node) };
}

/** The model with most analysed failures, and the largest one whose biggest top-level category differs. */
function contrastingModels(overview: Overview): [string, string] {
  const { groups, cells } = overview.heatmap.byModel;
  const tops = overview.taxonomy.children.map((c) => cells[c.id] ?? []);
  const stats = groups.map((model, g) => {
    const shares = tops.map((row) => row[g]?.share ?? 0);
    return { model, n: tops.find((row) => row[g])?.[g]?.n ?? 0, biggest: shares.indexOf(Math.max(...shares)) };
  });
  stats.sort((x, y) => y.n - x.n || x.model.localeCompare(y.model));
  const first = stats[0];
  // Only models run on a common dataset can be compared.
  const datasetsOf = (m: string) => new Set(overview.summary.population.filter((p) => p.model === m).map((p) => p.dataset));
  const peers = stats.filter((s) => s !== first && [...datasetsOf(s.model)].some((d) => datasetsOf(first?.model ?? '').has(d)));
  const second = peers.find((s) => s.biggest !== first?.biggest) ?? peers[0] ?? first;
  return [first?.model ?? '', second?.model ?? ''];
}

async function main(): Promise<void> {
  ensureViewerBuilt();
  const { dir, temporary } = runFromArgs();
  const taxonomy = JSON.parse(readFileSync(join(dir, 'taxonomy.json'), 'utf8')) as TaxonomyNode;
  const { node, failureId } = pickFocus(taxonomy);
  const server = await startViewServer(dir);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    const overview = (await (await fetch(`${server.url}api/overview`)).json()) as Overview;
    const [a, b] = contrastingModels(overview);
    // [file, hash, page height (undefined = the viewport)]
    const shots: [string, string, number?][] = [
      ['explorer', '#/explorer'],
      ['explorer-zoomed', `#/explorer?node=${node.id}`],
      ['failures', `#/failures?node=${node.id}&open=${failureId ?? ''}`, 1100],
      ['signatures', '#/signatures'],
      ['profiles-incidence', '#/signatures?by=dataset&metric=incidence', 1150],
      ['compare', `#/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`],
      ['noise', '#/noise', 1000],
      ['run', '#/run', 1300],
    ];
    const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
    for (const [name, hash, height] of shots.filter(([n]) => !only || n === only)) {
      await page.setViewportSize({ width: 1440, height: height ?? 900 });
      await page.goto(`${server.url}${hash}`);
      await page.waitForSelector('.content > *:not(.muted)');
      await page.waitForTimeout(500);
      const file = join(OUT, `${name}.png`);
      await page.screenshot({ path: file });
      const bytes = statSync(file).size;
      process.stdout.write(`docs/screenshots/${name}.png ${(bytes / 1024).toFixed(0)} kB${bytes > MAX_BYTES ? ' (over 300 kB)' : ''}\n`);
    }
    if (!only || only === 'audit') await auditShot(browser, dir);
  } finally {
    await browser.close();
    await server.close();
    if (temporary) rmSync(temporary, { recursive: true, force: true });
  }
}

/** Audit mode mid-review: a verdict given and a category chosen, the judge's revealed; nothing is saved to the run. */
async function auditShot(browser: Browser, dir: string): Promise<void> {
  const server = await startViewServer(dir, { audit: { size: 100, mode: 'blind' } });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 });
    await page.goto(`${server.url}#/audit`);
    await page.waitForSelector('input[name="reviewer"]');
    await page.keyboard.type('dana');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.audit-failure h2');
    await page.keyboard.press('a');
    await page.keyboard.press('c');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(500);
    const file = join(OUT, 'audit.png');
    await page.screenshot({ path: file });
    process.stdout.write(`docs/screenshots/audit.png ${(statSync(file).size / 1024).toFixed(0)} kB\n`);
  } finally {
    await server.close();
  }
}

await main();
