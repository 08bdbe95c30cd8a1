/**
 * The viewer's evidence in a real browser (Debian Chromium): whole model names in the heatmap at 1400 px,
 * a planted difference marked and an identical profile not, the comparison's p values and examples, a
 * failure beside every model's output on its example, and Markdown/LaTeX rendered safely — in the
 * single-file report and the served view.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../bench/viewer-browser.js';
import { writeHtmlReport } from '../../src/report/html-report.js';
import { startViewServer, type ViewServer } from '../../src/report/view-server.js';
import { loadRunData } from '../../src/store/run-data.js';
import { type MadeRun, makeRunDir } from '../support/make-run-dir.js';

/** The models of the shared benchmark data (/work/shared/data), per dataset: different model sets. */
const SHARED_MODELS: Record<string, string[]> = {
  alpaca_eval: ['alpaca-7b', 'falcon-40b-instruct', 'llama-2-70b-chat-hf', 'llama-2-7b-chat-hf', 'phi-2-sft', 'vicuna-13b'],
  mmlu_pro: [
    'Meta-Llama-3_1-70B-Instruct',
    'Mistral-7B-Instruct-v0.2',
    'Mixtral-8x7B-Instruct-v0.1',
    'Qwen1.5-72B-Chat',
    'gemini-1.5-pro-002',
    'jamba-1.5-large',
  ],
  theoremqa: ['alpaca-13b', 'claude-2', 'claude-instant-v1', 'claude-v1', 'gpt-3.5-turbo', 'gpt-4', 'text-davinci-003'],
  vicuna_bench: ['alpaca-13b', 'bard', 'gpt-3.5-turbo', 'llama-13b', 'vicuna-13b'],
};
const DATASETS = Object.keys(SHARED_MODELS);
const MODELS = [...new Set(Object.values(SHARED_MODELS).flat())].sort();
const PLANTED = 'gpt-4';

const LATEX_OUTPUT = String.raw`We add the fractions: $\frac{1}{2}+\frac{1}{3}=\frac{5}{6}$, and **check** it: $\text{<script>window.pwned = 5</script>}$.

$$\sqrt{x^2} = |x|$$

The answer is \boxed{\frac{5}{6}}.`;
const LONG_OUTPUT = `${'A line of working that goes on and on.\n'.repeat(120)}So the answer is 42.`;

let browser: Browser;
let tmp: string;
let planted: MadeRun;
let identical: MadeRun;
let latex: MadeRun;
const servers: ViewServer[] = [];
const urls: Record<string, { report: string; served: string }> = {};

async function both(run: MadeRun, name: string): Promise<void> {
  const server = await startViewServer(run.dir);
  servers.push(server);
  urls[name] = { report: pathToFileURL(writeHtmlReport(run.dir).file).href, served: server.url };
}

beforeAll(async () => {
  execFileSync('npm', ['run', 'build:viewer'], { cwd: join(import.meta.dirname, '../..'), stdio: 'ignore' });
  tmp = mkdtempSync(join(tmpdir(), 'errormap-viewer-evidence-'));
  const shared = { models: MODELS, datasets: DATASETS, datasetModels: SHARED_MODELS, failures: 8400, seed: 11 };
  planted = makeRunDir(join(tmp, 'planted'), {
    ...shared,
    leaning: (model, n) => Array.from({ length: n }, (_, i) => (model === PLANTED && i === 0 ? 12 : 1)),
  });
  identical = makeRunDir(join(tmp, 'identical'), { ...shared, leaning: (_, n) => Array.from({ length: n }, () => 1) });
  latex = makeRunDir(join(tmp, 'latex'), {
    failures: 120,
    models: ['model-a', 'model-b', 'model-c'],
    datasets: ['math'],
    hostile: false,
    texts: [
      { input: String.raw`Compute $\frac{1}{2}+\frac{1}{3}$. Put the final answer in \boxed{}.`, output: LATEX_OUTPUT, reference: '5/6' },
      { input: 'What is six times seven? Finish with "the answer is ...".', output: LONG_OUTPUT, reference: '42' },
    ],
  });
  await both(planted, 'planted');
  await both(identical, 'identical');
  await both(latex, 'latex');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function open(url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(url);
  await page.waitForSelector('.content > *:not(.boot)');
  return { page, errors };
}

/** Every column label whole: its full text, no ellipsis, nothing clipped by the scrolling wrapper or the page. */
async function labelsWhole(page: Page): Promise<{ text: string; whole: boolean }[]> {
  return page.locator('.heatmap .col-label').evaluateAll((labels) => {
    const wrap = document.querySelector('.heatmap-wrap') as HTMLElement;
    const box = wrap.getBoundingClientRect();
    return labels.map((el) => {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      const whole =
        style.textOverflow !== 'ellipsis' &&
        el.scrollWidth <= el.clientWidth + 1 &&
        r.left >= box.left - 1 &&
        r.right <= box.right + 1 &&
        r.right <= window.innerWidth &&
        r.top >= 0;
      return { text: el.textContent ?? '', whole };
    });
  });
}

describe('heatmap', () => {
  for (const mode of ['report', 'served'] as const) {
    it(`${mode}: shows every shared-data model name whole at 1400 px, grouped by dataset by default`, async () => {
      const { page, errors } = await open(`${urls.planted[mode]}#/signatures`);
      await page.waitForSelector('table.heatmap[data-group="per-dataset"]');
      // datasets ran on different models: one column group per dataset, headed by its full name
      expect(await page.locator('.heatmap .dataset-head').allTextContents()).toEqual(DATASETS);
      const grouped = await labelsWhole(page);
      expect(grouped.map((l) => l.text)).toEqual(DATASETS.flatMap((d) => [...SHARED_MODELS[d]].sort()));
      expect(grouped.filter((l) => !l.whole)).toEqual([]);
      // pooled over datasets: one column per model, names still whole
      await page.getByRole('button', { name: 'Models, datasets pooled' }).click();
      await page.waitForSelector('table.heatmap[data-group="pooled"]');
      const pooled = await labelsWhole(page);
      expect(pooled.map((l) => l.text)).toEqual(MODELS);
      expect(pooled.filter((l) => !l.whole)).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it('marks a planted difference as significant, with a caption counting the marked cells', async () => {
    const { page } = await open(`${urls.planted.served}#/signatures`);
    await page.waitForSelector('.heatmap-caption');
    const top = planted.taxonomy.children[0];
    const column = await page.locator('.heatmap .col-label').allTextContents();
    const row = page.locator('.heatmap tbody tr').filter({ has: page.locator(`.row-head:has-text("${top.name}")`) });
    const cell = row.locator('td.heat').nth(column.indexOf(PLANTED));
    expect(await cell.getAttribute('data-significant')).toBe('up');
    expect(await cell.getAttribute('title')).toMatch(/Holm-corrected .* \(differs beyond chance\)/);
    const marked = Number(await page.locator('.heatmap-caption').getAttribute('data-marked'));
    expect(await page.locator('td.heat[data-significant]').count()).toBe(marked);
    expect(await page.locator('.heatmap-caption').textContent()).toMatch(new RegExp(`^${marked} of \\d+ cells differ`));
    // the other theoremqa models were pulled below their peers (who include the planted one), never above
    const others = SHARED_MODELS.theoremqa.filter((m) => m !== PLANTED).map((m) => column.indexOf(m));
    for (const i of others) expect(await row.locator('td.heat').nth(i).getAttribute('data-significant')).not.toBe('up');
    await page.close();
  });

  it('marks nothing when every model has the same error profile', async () => {
    for (const hash of ['#/signatures', '#/signatures?group=pooled']) {
      const { page } = await open(`${urls.identical.served}${hash}`);
      await page.waitForSelector('.heatmap-caption');
      expect(Number(await page.locator('.heatmap-caption').getAttribute('data-tested'))).toBeGreaterThan(40);
      expect(await page.locator('.heatmap-caption').getAttribute('data-marked')).toBe('0');
      expect(await page.locator('td.heat[data-significant]').count()).toBe(0);
      await page.close();
    }
  });
});

describe('compare', () => {
  for (const mode of ['report', 'served'] as const) {
    it(`${mode}: lists counts, p and Holm p with the planted category first, and examples one click from the side-by-side view`, async () => {
      const { page, errors } = await open(`${urls.planted[mode]}#/compare?a=${PLANTED}&b=claude-v1`);
      await page.waitForSelector('.compare-table tbody tr');
      const first = page.locator('.compare-table tbody tr').first();
      expect(await first.getAttribute('data-compare-id')).toBe(planted.taxonomy.children[0].id);
      expect(await first.getAttribute('class')).toBe('significant');
      expect(await first.locator('.p-holm').textContent()).toMatch(/^(< 0\.0001|0\.0\d+|\d\.\de-\d+)$/);
      expect(await page.locator('.compare-caption').textContent()).toMatch(/^[1-9]\d* of \d+ categories here differ beyond chance\.$/);
      // every row: counts with shares, incidence per 100, p and corrected p
      const rows = await page.locator('.compare-table tbody tr').count();
      expect(await page.locator('.compare-table .p-value').count()).toBe(rows);
      expect((await first.locator('td.num').first().textContent())?.trim()).toMatch(/^\d+ \(\d+\.\d%\)$/);
      // gpt-4 fails in the planted category where claude-v1 is right: the examples open beside every model's output
      const link = first.locator('.examples-a .example-link').first();
      const exampleId = await link.textContent();
      await link.click();
      await page.waitForSelector('.output-card[data-current="true"]');
      expect(await page.locator('.output-card[data-current="true"]').getAttribute('data-model')).toBe(PLANTED);
      expect(await page.locator('.failure-detail .failure-meta').first().textContent()).toContain(`example ${exampleId}`);
      expect(await page.locator('.output-card.correct[data-model="claude-v1"]').count()).toBe(1);
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});

describe('a failure beside every model output on its example', () => {
  const data = () => loadRunData(latex.dir);

  for (const mode of ['report', 'served'] as const) {
    it(`${mode}: renders Markdown and LaTeX to MathML, a <script> inside a formula stays text`, async () => {
      const failure = data().failures.find((f) => f.outputText === LATEX_OUTPUT && f.analysis?.source === 'judge');
      const { page, errors } = await open(`${urls.latex[mode]}#/failures?open=${failure?.id}`);
      const card = page.locator('.output-card[data-current="true"]');
      await card.locator('.rich math').first().waitFor();
      expect(await card.locator('.rich math mfrac').count()).toBeGreaterThanOrEqual(3);
      expect(await card.locator('.rich math[display="block"] msqrt').count()).toBe(1);
      expect(await card.locator('.rich strong').textContent()).toBe('check');
      const texts = (await card.locator('.rich mtext').allTextContents()).map((t) => t.replace(/\u00a0/g, ' '));
      expect(texts).toContain('<script>window.pwned = 5</script>');
      // the boxed answer is the final answer, highlighted
      expect(await card.locator('mark.final-answer math').count()).toBe(1);
      expect(await page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
      expect(await page.evaluate(() => document.querySelectorAll('script').length)).toBe(2);
      expect(
        await page.evaluate(
          () => Array.from(document.querySelectorAll('a')).filter((a) => !a.getAttribute('href')?.startsWith('#/')).length,
        ),
      ).toBe(0);
      // plain text on request: the TeX source as written
      await page.uncheck('.render-toggle input');
      await expect.poll(() => card.locator('pre.text').first().textContent()).toContain(String.raw`$\frac{1}{2}+\frac{1}{3}=\frac{5}{6}$`);
      expect(errors).toEqual([]);
      await page.close();
    });

    it(`${mode}: shows every model's output on the example, the correct outputs the judge was given marked`, async () => {
      // make-run-dir: an example named dataset_N-M is failed by model M alone; the others answer it correctly
      const failure = data().failures.find((f) => /-\d$/.test(f.exampleId) && f.analysis?.source === 'judge');
      const { page } = await open(`${urls.latex[mode]}#/failures?open=${failure?.id}`);
      await page.waitForSelector('.outputs .output-card');
      expect(await page.locator('.output-card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-model')))).toEqual([
        failure?.model,
        ...['model-a', 'model-b', 'model-c'].filter((m) => m !== failure?.model),
      ]);
      expect(await page.locator('.output-card.correct').count()).toBe(2);
      // the run's default: up to three correct outputs of other models go to the judge
      expect(await page.locator('.output-card.correct.shown').count()).toBe(2);
      expect(await page.locator('.judge-saw').textContent()).toContain('2 correct outputs of other models');
      await page.close();
    });

    it(`${mode}: shows the end of a long output with its final answer, and the rest on request`, async () => {
      const failure = data().failures.find((f) => f.outputText === LONG_OUTPUT);
      const { page } = await open(`${urls.latex[mode]}#/failures?open=${failure?.id}`);
      const card = page.locator('.output-card[data-current="true"]');
      await card.locator('.output-text').waitFor();
      expect(await card.locator('.rich mark.final-answer').textContent()).toContain('42');
      const shown = (await card.locator('.rich').textContent()) ?? '';
      expect(shown.length).toBeLessThan(LONG_OUTPUT.length / 2);
      await card.locator('button.expand').click();
      await expect.poll(async () => ((await card.locator('.rich').textContent()) ?? '').split('A line of working').length - 1).toBe(120);
      await page.close();
    });
  }
});

describe('failure list and taxonomy', () => {
  it('opens the first failure on arrival, the list sorted by category size, then model', async () => {
    const { page } = await open(`${urls.planted.served}#/failures`);
    await page.waitForSelector('.failure-detail');
    const first = await page.locator('.failure-item').first().getAttribute('data-failure-id');
    expect(await page.locator('.failure-detail').getAttribute('data-detail-id')).toBe(first);
    expect(await page.evaluate(() => location.hash)).toContain(`open=${first}`);
    const counts = new Map<string, number>();
    const walk = (n: MadeRun['taxonomy']) => {
      counts.set(n.id, n.count);
      n.children.forEach(walk);
    };
    walk(planted.taxonomy);
    const rows = await page
      .locator('.failure-item')
      .evaluateAll((items) => items.map((i) => [i.getAttribute('data-leaf') ?? '', i.getAttribute('data-model') ?? ''] as const));
    for (let i = 1; i < rows.length; i++) {
      const [prev, cur] = [counts.get(rows[i - 1][0]) ?? 0, counts.get(rows[i][0]) ?? 0];
      expect(cur).toBeLessThanOrEqual(prev);
      if (rows[i][0] === rows[i - 1][0]) expect(rows[i][1] >= rows[i - 1][1]).toBe(true);
    }
    await page.close();
  });

  it('offers only the depths the tree has, rounds every share alike, and every subcategory row navigates', async () => {
    const { page } = await open(`${urls.latex.report}#/explorer`);
    await page.waitForSelector('html[data-ready="explorer"]');
    expect(await page.locator('select[aria-label="Maximum depth"] option').allTextContents()).toEqual(['1 level', '2 levels', '3 levels']);
    const tree = await page.locator('.tree-share').allTextContents();
    for (const share of tree.filter(Boolean)) expect(share).toMatch(/^\d+\.\d%$/);
    const child = latex.taxonomy.children[0];
    const inTree = await page.locator(`.tree-item:has(> .tree-row [data-tree-id="${child.id}"]) > .tree-row .tree-share`).textContent();
    const inTable = await page.locator(`.details tr[data-row-id="${child.id}"] td.num`).last().textContent();
    expect(inTable?.trim()).toBe(inTree);
    await page.locator(`.details tr[data-row-id="${child.id}"] td.muted`).click();
    await expect.poll(() => page.locator('.details h2').textContent()).toBe(child.name);
    await page.close();
  });

  it('shows a first-run guide on the overview until it is dismissed', async () => {
    const { page } = await open(`${urls.latex.served}#/explorer`);
    await page.waitForSelector('.guide');
    expect(await page.locator('.guide h2').textContent()).toBe('How to read this map');
    await page.click('button[aria-label="Dismiss the guide"]');
    expect(await page.locator('.guide').count()).toBe(0);
    await page.reload();
    await page.waitForSelector('html[data-ready="explorer"]');
    expect(await page.locator('.guide').count()).toBe(0);
    await page.close();
  });
});
