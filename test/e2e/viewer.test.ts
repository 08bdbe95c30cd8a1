/**
 * The viewer in a real browser (Debian Chromium via playwright-core): the single-file report from file://
 * and a served run. The viewer is rebuilt first (`npm run build:viewer`) so the tests see the current source.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../bench/viewer-browser.js';
import { writeHtmlReport, writeTaxonomyReport } from '../../src/report/html-report.js';
import { startViewServer, type ViewServer } from '../../src/report/view-server.js';
import { loadRunData } from '../../src/store/run-data.js';
import { type MadeRun, makeRunDir } from '../support/make-run-dir.js';

let browser: Browser;
let server: ViewServer;
let run: MadeRun & { sharedExamples: number; noErrorFailures: number };
let reportUrl: string;
let tmp: string;

beforeAll(async () => {
  execFileSync('npm', ['run', 'build:viewer'], {
    cwd: join(import.meta.dirname, '../..'),
    stdio: 'ignore',
  });
  tmp = mkdtempSync(join(tmpdir(), 'errormap-viewer-'));
  const made = makeRunDir(join(tmp, 'demo-run'), { failures: 600, hostile: true });
  const failures = loadRunData(made.dir).failures;
  run = {
    ...made,
    sharedExamples: new Set(failures.filter((f) => /_\d+$/.test(f.exampleId)).map((f) => `${f.dataset}/${f.exampleId}`)).size,
    noErrorFailures: failures.filter((f) => f.analysis && !f.analysis.hasError).length,
  };
  reportUrl = pathToFileURL(writeHtmlReport(run.dir).file).href;
  server = await startViewServer(run.dir);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

interface Watched {
  page: Page;
  dialogs: string[];
  requests: string[];
}

async function open(url: string): Promise<Watched> {
  const page = await browser.newPage({
    viewport: { width: 1400, height: 900 },
  });
  const watched: Watched = { page, dialogs: [], requests: [] };
  page.on('dialog', (d) => {
    watched.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => watched.requests.push(r.url()));
  await page.goto(url);
  await page.waitForSelector('html[data-ready="explorer"], .content > *');
  return watched;
}

const top = () => run.taxonomy.children[0];

describe('report opened from disk', () => {
  it('explores the taxonomy: zoom in and out, depth and share filters, no network', async () => {
    const { page, requests } = await open(reportUrl);
    await page.waitForSelector('html[data-ready="explorer"]');
    expect(await page.locator('.tree-name').first().textContent()).toBe('LLM Errors');
    const cellsAt3 = await page.locator('.icicle .cell').count();

    await page.locator(`.icicle .cell[data-node-id="${top().id}"]`).dispatchEvent('click');
    await expect.poll(() => page.evaluate(() => location.hash)).toContain(`node=${top().id}`);
    expect(await page.locator('.breadcrumb strong').textContent()).toBe(top().name);
    expect(await page.locator('.details h2').textContent()).toBe(top().name);
    // the focused category is the leftmost bar; clicking it zooms back out
    await page.locator(`.icicle .cell.focus[data-node-id="${top().id}"]`).dispatchEvent('click');
    await expect.poll(() => page.locator('.breadcrumb strong').textContent()).toBe('LLM Errors');

    await page.selectOption('select[aria-label="Maximum depth"]', '1');
    await expect.poll(() => page.locator('.icicle .cell').count()).toBe(run.taxonomy.children.length + 1);
    await page.selectOption('select[aria-label="Maximum depth"]', '3');
    await expect.poll(() => page.locator('.icicle .cell').count()).toBe(cellsAt3);
    await page.selectOption('select[aria-label="Minimum share"]', '20');
    await expect.poll(() => page.locator('.icicle .cell').count()).toBeLessThan(cellsAt3);

    // a shared link restores the view
    const link = await page.evaluate(() => location.href);
    const again = await open(link);
    expect(await again.page.locator('select[aria-label="Minimum share"]').inputValue()).toBe('20');
    await again.page.close();

    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    await page.close();
  });

  it('carries the benchmark profiles and noise lists', async () => {
    const { page, requests } = await open(`${reportUrl}#/noise`);
    await page.waitForSelector('.hard-examples .noise-row');
    expect(await page.locator('.hard-examples .noise-row').count()).toBe(run.sharedExamples);
    expect(await page.locator('.judged-correct .noise-row').count()).toBe(run.noErrorFailures);
    await page.evaluate(() => {
      location.hash = '#/signatures?by=dataset';
    });
    await page.waitForSelector('.profile-card');
    expect(await page.locator('.profile-card').count()).toBe(3);
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    await page.close();
  });

  it('lists, filters and opens failures from the injected data', async () => {
    const { page } = await open(`${reportUrl}#/failures`);
    await page.waitForSelector('.failure-item');
    expect(await page.locator('.list-head strong').textContent()).toBe(`${run.failureIds.length} failures`);
    await page.selectOption('select[aria-label="Model"]', 'mistral-7b');
    await expect.poll(() => page.locator('.list-head strong').textContent()).not.toBe(`${run.failureIds.length} failures`);
    const models = await page.locator('.failure-item .chip:not(.light):not(.warn)').allTextContents();
    expect(new Set(models)).toEqual(new Set(['mistral-7b']));
    await page.locator('.failure-item').first().click();
    await page.waitForSelector('.failure-detail .output-card');
    const headings = (await page.locator('.failure-detail h3').allTextContents()).map((h) => h.trim());
    expect(headings).toEqual(expect.arrayContaining(['Input', 'Reference answer shown to the judge', "Judge's criteria"]));
    expect(headings.some((h) => h.startsWith("Every model's output on this example"))).toBe(true);
    expect(await page.locator('.criteria tbody tr').count()).toBeGreaterThan(0);
    await page.close();
  });
});

describe('taxonomy-only report', () => {
  it('renders a tree written by the reference ErrorMap implementation', async () => {
    const record = (model: string, title: string) => ({
      id: `${model}-${title}`,
      name: title,
      info: { model, dataset: 'mmlu', example_id: title, error_title: title },
      children: [],
    });
    const tree = {
      id: 'root',
      name: 'LLM Errors',
      info: { description: 'all' },
      parent: '',
      children: [
        {
          id: 'a',
          name: 'Arithmetic errors',
          info: { description: 'Wrong sums.' },
          children: [record('m1', 'x1'), record('m2', 'x2'), record('m1', 'x3')],
        },
        {
          id: 'b',
          name: 'Missing answer',
          info: { description: 'No final answer.' },
          children: [record('m2', 'y1')],
        },
      ],
    };
    const file = join(tmp, 'reference-taxonomy.json');
    writeFileSync(file, JSON.stringify(tree));
    const written = writeTaxonomyReport(file, join(tmp, 'taxonomy.html'));
    const { page } = await open(pathToFileURL(written.file).href);
    await page.waitForSelector('html[data-ready="explorer"]');
    expect(await page.locator('.tree-name').allTextContents()).toEqual(['LLM Errors', 'Arithmetic errors', 'Missing answer']);
    expect(await page.locator('.tree-count').allTextContents()).toEqual(['4', '3', '1']);
    expect(await page.locator('.tabs a').allTextContents()).toEqual(['Taxonomy', 'Run']);
    await page.close();
  });
});

describe('served run', () => {
  it('filters a category by dataset and text, paginates, and opens a failure in full', async () => {
    const { page } = await open(`${server.url}#/failures?node=${top().id}`);
    await page.waitForSelector('.failure-item');
    const total = Number((await page.locator('.list-head strong').textContent())?.split(' ')[0]);
    expect(total).toBe(top().count);
    await page.selectOption('select[aria-label="Dataset"]', 'theoremqa');
    await expect
      .poll(async () => (await page.locator('.failure-item .chip.light').allTextContents()).every((d) => d === 'theoremqa'))
      .toBe(true);
    await page.fill('input[aria-label="Search failures"]', 'zzz-no-such-text');
    await page.waitForSelector('.empty:has-text("No failure matches")');
    await page.fill('input[aria-label="Search failures"]', 'step 3');
    await expect.poll(async () => (await page.locator('.failure-title').allTextContents()).every((t) => t.includes('step 3'))).toBe(true);
    await page.fill('input[aria-label="Search failures"]', '');
    await page.selectOption('select[aria-label="Dataset"]', '');
    await expect.poll(() => page.locator('.list-head strong').textContent()).toBe(`${top().count} failures`);
    // the next page holds other failures
    const firstPage = await page.locator('.failure-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-failure-id')));
    expect(firstPage).toHaveLength(50);
    await page.click('button:has-text("Next")');
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('page=1');
    await page.waitForFunction((first) => document.querySelector('.failure-item')?.getAttribute('data-failure-id') !== first, firstPage[0]);
    const secondPage = await page.locator('.failure-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-failure-id')));
    expect(secondPage.some((id) => firstPage.includes(id))).toBe(false);
    // one failure in full, straight from the database
    await page.locator('.failure-item').first().click();
    await page.waitForSelector('.failure-detail');
    expect(await page.locator('.failure-detail .path').textContent()).toContain(top().name);
    await page.close();
  });

  it('switches the heatmap between share and incidence, models and datasets, with intervals on hover', async () => {
    const { page } = await open(`${server.url}#/signatures`);
    await page.waitForSelector('table.heatmap');
    const shareText = await page.locator('td.heat .cell-value').first().textContent();
    expect(shareText).toMatch(/^\d+\.\d%/);
    expect(await page.locator('td.heat .cell-count').first().textContent()).toMatch(/^\d+$/);
    expect(await page.locator('td.heat').first().getAttribute('title')).toMatch(/95% CI .*–/);
    // the intervals toggle writes them into every cell
    expect(await page.locator('td.heat .cell-ci').count()).toBe(0);
    await page.check('.check input[type="checkbox"]');
    await expect.poll(() => page.locator('td.heat .cell-ci').count()).toBe(await page.locator('td.heat:not(.none)').count());
    expect(await page.locator('td.heat .cell-ci').first().textContent()).toMatch(/^\d+\.\d%–\d+\.\d%$/);
    await page.getByRole('button', { name: 'Incidence', exact: true }).click();
    await page.waitForSelector('table.heatmap[data-metric="incidence"]');
    expect(await page.locator('td.heat .cell-value').first().textContent()).toMatch(/^\d+\.\d\d/);
    await page.getByRole('button', { name: 'Datasets', exact: true }).click();
    await page.waitForSelector('table.heatmap[data-by="dataset"]');
    expect(await page.locator('.heatmap .col-label').allTextContents()).toEqual(['alpaca_eval', 'mmlu_pro', 'theoremqa']);
    // drilling into a category shows its subcategories
    await page.locator('.row-head button').first().click();
    await expect.poll(() => page.locator('.heatmap .row-head').count()).toBe(run.taxonomy.children[0].children.length);
    await page.close();
  });

  it('shows the signatures within one dataset, from the model × dataset rows', async () => {
    const { page } = await open(`${server.url}#/signatures`);
    await page.waitForSelector('table.heatmap');
    await page.selectOption('select[aria-label="Within dataset"]', 'theoremqa');
    await expect.poll(() => page.locator('.signatures h2').textContent()).toContain('within theoremqa');
    expect(await page.locator('.heatmap .col-label').allTextContents()).toEqual([
      'gpt-4o-mini',
      'llama-3.1-70b',
      'mistral-7b',
      'qwen2.5-72b',
    ]);
    expect(await page.locator('td.heat').first().getAttribute('title')).toMatch(/^gpt-4o-mini × theoremqa · /);
    // a cell lists that model's failures in that dataset
    await page.locator('td.heat a').first().click();
    await page.waitForSelector('.failure-item');
    expect(new Set(await page.locator('.failure-item .chip.light').allTextContents())).toEqual(new Set(['theoremqa']));
    await page.close();
  });

  it('shows a benchmark profile per dataset under the per-dataset signatures', async () => {
    const { page } = await open(`${server.url}#/signatures?by=dataset`);
    await page.waitForSelector('.profile-card');
    expect(await page.locator('.profile-card .profile-name').allTextContents()).toEqual(['alpaca_eval', 'mmlu_pro', 'theoremqa']);
    for (const share of await page.locator('.off-skill-share').allTextContents()) expect(share).toMatch(/^\d+\.\d%$/);
    expect(await page.locator('.profile-card').first().textContent()).toContain('Instruction following');
    const bars = await page.locator('.profile-card[data-dataset="mmlu_pro"] .profile-top li').count();
    expect(bars).toBeGreaterThan(0);
    expect(bars).toBeLessThanOrEqual(5);
    // a top category opens its failures in that dataset
    await page.locator('.profile-card[data-dataset="mmlu_pro"] .profile-label').first().click();
    await page.waitForSelector('.failure-item');
    expect(new Set(await page.locator('.failure-item .chip.light').allTextContents())).toEqual(new Set(['mmlu_pro']));
    await page.close();
  });

  it('lists suspected benchmark noise with its evidence, and opens the failures behind it', async () => {
    const { page } = await open(`${server.url}#/noise`);
    await page.waitForSelector('.hard-examples .noise-row');
    // make-run-dir: examples named dataset_N are failed by all four models; the others by one
    expect(await page.locator('.hard-examples .noise-row').count()).toBe(run.sharedExamples);
    expect(new Set(await page.locator('.hard-examples .failed-models').allTextContents())).toEqual(new Set(['4 of 4']));
    expect(await page.locator('.judged-correct .noise-row').count()).toBe(run.noErrorFailures);
    await page.locator('.hard-examples .noise-evidence a').first().click();
    await page.waitForSelector('.failure-detail');
    await page.close();
  });

  it('compares two models per category', async () => {
    const { page } = await open(`${server.url}#/compare`);
    await page.waitForSelector('.compare-table');
    await page.selectOption('select[aria-label="Model A"]', 'qwen2.5-72b');
    await page.selectOption('select[aria-label="Model B"]', 'llama-3.1-70b');
    await expect.poll(() => page.locator('.compare h2').textContent()).toContain('qwen2.5-72b');
    expect(await page.locator('.compare-table tbody tr').count()).toBe(run.taxonomy.children.length);
    expect(await page.evaluate(() => location.hash)).toContain('a=qwen2.5-72b');
    // exact p and Holm p on every row, significant rows first
    for (const cls of ['.p-value', '.p-holm'])
      for (const p of await page.locator(`.compare-table ${cls}`).allTextContents())
        expect(p).toMatch(/^(< 0\.0001|[01]\.\d+|\d\.\d+e-\d+)$/);
    const holm = (await page.locator('.compare-table .p-holm').allTextContents()).map((p) => (p.startsWith('<') ? 0 : Number(p)));
    expect(holm).toEqual([...holm].sort((x, y) => x - y));
    // examples one model fails and the other gets right open beside every model's output
    const example = page.locator('.compare-table .example-link').first();
    const exampleId = await example.textContent();
    await example.click();
    await page.waitForSelector('.failure-detail .output-card[data-current="true"]');
    expect(await page.locator('.failure-detail .failure-meta').first().textContent()).toContain(`example ${exampleId}`);
    expect(await page.locator('.output-card.correct').count()).toBeGreaterThan(0);
    await page.close();
  });

  it('shows run information', async () => {
    const { page } = await open(`${server.url}#/run`);
    await page.waitForSelector('.run-info');
    expect(await page.locator('.run-info').textContent()).toContain('error_analysis');
    // the judge's rating of the top-level categories, with its reasons
    const ratings = await page.locator('.taxonomy-ratings').textContent();
    expect(ratings).toContain('LLM Errors');
    expect(ratings).toContain('78');
    expect(ratings).toContain('Merge the two overlapping categories.');
    await page.close();
  });
});

describe('hostile texts stay text', () => {
  for (const mode of ['report', 'served'] as const) {
    it(`${mode}: no dialog, no script-made element, no navigation`, async () => {
      const base = mode === 'report' ? reportUrl : server.url;
      const first = run.failureIds[0]; // the first failures carry the payloads
      const w = await open(`${base}#/failures?open=${first}`);
      const { page } = w;
      await page.waitForSelector('.failure-detail');
      const before = page.url();
      await page.waitForSelector('.output-card[data-current="true"] .output-text .rich');
      expect(await page.locator('.output-card[data-current="true"] .output-text').textContent()).toContain('<script>window.__pwned');
      await page.locator('.failure-detail').getByText('click me').first().click();
      // every view that renders data: explorer (hostile category), signatures, compare, list
      for (const hash of [
        '#/explorer',
        `#/signatures?node=${run.taxonomy.children.at(-1)?.id}`,
        '#/signatures?by=dataset',
        '#/compare',
        '#/noise',
        '#/failures',
      ]) {
        await page.evaluate((h) => {
          location.hash = h;
        }, hash);
        await page.waitForTimeout(150);
      }
      await page.goBack();
      await page.waitForTimeout(200);
      expect(w.dialogs).toEqual([]);
      expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('img, iframe, object, embed').count()).toBe(0);
      expect(await page.evaluate(() => document.querySelectorAll('script').length)).toBe(2); // the app and its data block
      expect(
        await page.evaluate(
          () => Array.from(document.querySelectorAll('a')).filter((a) => !a.getAttribute('href')?.startsWith('#/')).length,
        ),
      ).toBe(0);
      expect(new URL(page.url()).origin).toBe(new URL(before).origin);
      await page.close();
    });
  }

  it('serves the page with a strict Content-Security-Policy on loopback only', async () => {
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
    const response = await fetch(server.url);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'sha256-[^']+'/);
    expect(csp).not.toContain('unsafe-eval');
    expect((await fetch(`${server.url}api/failures/nope`)).status).toBe(404);
  });
});
