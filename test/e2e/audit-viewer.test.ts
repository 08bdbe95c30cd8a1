/**
 * Audit mode in a real browser (Debian Chromium via playwright-core): a reviewer works through the sample with
 * the keyboard only, reloads, and finds every answer again; the tree picker works with the mouse too; a hostile
 * note stays text, in the audit and in the report.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../bench/viewer-browser.js';
import { writeHtmlReport } from '../../src/report/html-report.js';
import { startViewServer, type ViewServer } from '../../src/report/view-server.js';
import { loadReviews } from '../../src/store/review-queries.js';
import { HOSTILE, type MadeRun, makeRunDir } from '../support/make-run-dir.js';

let browser: Browser;
/** One browser profile for the whole reviewer session: the name is kept in its local storage. */
let context: BrowserContext;
let server: ViewServer;
let run: MadeRun;
let tmp: string;
const dialogs: string[] = [];
const NOTE = `${HOSTILE.img} ${HOSTILE.script}`;

beforeAll(async () => {
  execFileSync('npm', ['run', 'build:viewer'], { cwd: join(import.meta.dirname, '../..'), stdio: 'ignore' });
  tmp = mkdtempSync(join(tmpdir(), 'errormap-audit-viewer-'));
  run = makeRunDir(join(tmp, 'run'), { failures: 160, hostile: true });
  server = await startViewServer(run.dir, { audit: { size: 12, mode: 'blind' } });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function openPage(url: string): Promise<Page> {
  const page = await context.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(url);
  return page;
}

const progress = (page: Page) => page.locator('.audit-progress').textContent();
const yours = (page: Page) => page.locator('.chosen-category strong').textContent();
const VERDICT_KEYS = ['a', 'p', 'r'] as const;
const VERDICTS = ['accept', 'partly', 'reject'] as const;

describe('audit mode of the served viewer', () => {
  const answered: { id: string; verdict: string; category: string; acceptable: boolean }[] = [];

  it('reviews 10 failures in blind mode with the keyboard only', async () => {
    const page = await openPage(`${server.url}#/audit`);
    await page.waitForSelector('input[name="reviewer"]');
    await page.keyboard.type('dana');
    await page.keyboard.press('Enter');
    for (let i = 0; i < 10; i++) {
      await expect.poll(() => progress(page)).toBe(`Item ${i + 1} of 12`);
      await page.waitForSelector('.audit-failure h2');
      const id = (await page.locator('.audit').getAttribute('data-audit-item')) ?? '';
      // Blind: the judge's category stays hidden until the reviewer has chosen one.
      expect(await page.locator('.judge-category').textContent()).toContain('shown once you have chosen yours');
      await page.keyboard.press(VERDICT_KEYS[i % 3]);
      await page.keyboard.press('c');
      for (let k = 0; k < i % 4; k++) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await expect.poll(() => yours(page)).not.toBe('—');
      expect(await page.locator('.judge-category strong').textContent()).not.toBe('');
      const acceptable = i % 2 === 0;
      if (acceptable) await page.keyboard.press('y');
      if (i === 0) {
        await page.keyboard.press('n');
        await page.keyboard.insertText(NOTE);
        await page.keyboard.press('Escape');
      }
      expect(await page.locator(`[data-verdict="${VERDICTS[i % 3]}"]`).getAttribute('aria-pressed')).toBe('true');
      answered.push({ id, verdict: VERDICTS[i % 3], category: (await yours(page)) ?? '', acceptable });
      await page.keyboard.press('Enter');
    }
    await expect.poll(() => progress(page)).toBe('Item 11 of 12');
    expect(await page.locator('.audit-done').textContent()).toBe('10 reviewed');
    await page.close();

    const stored = loadReviews(run.dir);
    expect(stored).toHaveLength(10);
    expect(stored.map((r) => [r.failureId, r.verdict, r.judgeAcceptable === true, r.reviewer, r.mode])).toEqual(
      answered.map((a) => [a.id, a.verdict, a.acceptable, 'dana', 'blind']),
    );
    expect(stored[0].note).toBe(NOTE);
    expect(stored.every((r) => r.seconds !== undefined && r.seconds >= 0)).toBe(true);
  });

  it('after a reload, resumes where the reviewer stopped and shows the 10 answers', async () => {
    const page = await openPage(`${server.url}#/audit`);
    // The name was asked once: the session opens straight away, at the first item not reviewed.
    await expect.poll(() => progress(page)).toBe('Item 11 of 12');
    expect(await page.locator('.audit-done').textContent()).toBe('10 reviewed');
    for (let i = 9; i >= 0; i--) {
      await page.keyboard.press('k');
      await expect.poll(() => progress(page)).toBe(`Item ${i + 1} of 12`);
      expect(await page.locator('.audit').getAttribute('data-audit-item')).toBe(answered[i].id);
      expect(await page.locator(`[data-verdict="${answered[i].verdict}"]`).getAttribute('aria-pressed')).toBe('true');
      expect(await yours(page)).toBe(answered[i].category);
      expect(await page.locator('.save-state').textContent()).toBe('Saved.');
    }
    // The hostile note comes back as the text typed, not as markup.
    expect(await page.locator('textarea.note').inputValue()).toBe(NOTE);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.close();
  });

  it('the category tree picker works with the mouse and the filter', async () => {
    const page = await openPage(`${server.url}#/audit`);
    await expect.poll(() => progress(page)).toBe('Item 11 of 12');
    await page.fill('input[aria-label="Filter categories"]', 'implication');
    const leaves = page.locator('.picker-leaf');
    expect(await leaves.count()).toBe(1);
    expect(await leaves.first().textContent()).toContain('Reversed implication');
    await leaves.first().click();
    await expect.poll(() => yours(page)).toContain('Reversed implication');
    await page.fill('input[aria-label="Filter categories"]', '');
    expect(await page.locator('.picker-top').count()).toBeGreaterThan(1);
    await page.close();
  });

  it('the report shows the audit read-only, the note as text, and the trust figure beside the taxonomy', async () => {
    const report = pathToFileURL(writeHtmlReport(run.dir).file).href;
    const page = await openPage(`${report}#/audit`);
    await page.waitForSelector('.audit-results');
    expect(await page.locator('.review-note').allTextContents()).toContain(NOTE);
    expect(await page.locator('.audit-results textarea, .audit-results .picker').count()).toBe(0);
    expect(await page.locator('.audit-stats .verdict').textContent()).toMatch(/Top-level agreement \d+% .* from 10 reviews/);
    await page.evaluate(() => {
      location.hash = '#/explorer';
    });
    await page.waitForSelector('.trust');
    expect(await page.locator('.trust').textContent()).toMatch(/Human audit agreement [\d.]+% \[[\d.]+%–[\d.]+%\] · κ -?[\d.]+ · n=10/);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    await page.close();
  });

  it('open mode shows the judge’s category from the start, and y confirms it', async () => {
    const open = await startViewServer(run.dir, { audit: { size: 3, mode: 'open' } });
    try {
      const page = await openPage(`${open.url}#/audit`);
      // Another port is another origin with empty storage: the run's latest reviewer is offered; Enter takes it.
      await page.waitForSelector('input[name="reviewer"]');
      await expect.poll(() => page.locator('input[name="reviewer"]').inputValue()).toBe('dana');
      await page.keyboard.press('Enter');
      await page.waitForSelector('.audit-failure h2');
      const judge = await page.locator('.judge-category strong').textContent();
      expect(judge).toContain(' > ');
      expect(await yours(page)).toBe('—');
      await page.keyboard.press('y');
      await expect.poll(() => yours(page)).toBe(judge);
      await page.close();
    } finally {
      await open.close();
    }
  });
});
