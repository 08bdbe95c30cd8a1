/** The viewer's data: report payload vs served API, text budget, safe injection, heatmap statistics. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeReport, renderReportHtml, textCap } from '../../src/report/html-report.js';
import { wilsonInterval } from '../../src/report/view-data.js';
import { createViewApp, RunQueries } from '../../src/report/view-server.js';
import { loadRunData } from '../../src/store/run-data.js';
import { ReportSource } from '../../viewer/src/source.js';
import { HOSTILE, type MadeRun, makeRunDir } from '../support/make-run-dir.js';

const TEMPLATE =
  '<!doctype html><html><head><title>t</title></head><body><script type="application/json" id="errormap-data">__ERRORMAP_DATA__</script><script type="module">console.log(1)</script></body></html>';

let tmp: string;
let run: MadeRun;
let queries: RunQueries;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'errormap-viewdata-'));
  run = makeRunDir(join(tmp, 'run'), { failures: 240, hostile: true });
  queries = new RunQueries(run.dir);
});
afterAll(() => {
  queries?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('report payload and served API agree', () => {
  it('gives the same failure pages and details', async () => {
    const source = new ReportSource(encodeReport(loadRunData(run.dir)));
    const node = run.taxonomy.children[1].id;
    for (const query of [{}, { node }, { node, model: 'mistral-7b' }, { dataset: 'theoremqa', q: 'STEP 2' }, { q: '<script>' }]) {
      const [fromReport, fromServer] = [await source.failures(query), queries.failures(query)];
      expect(fromReport.total).toBe(fromServer.total);
      expect(fromReport.rows.map((r) => r.id)).toEqual(fromServer.rows.map((r) => r.id));
    }
    for (const id of run.failureIds.slice(0, 30)) {
      const served = queries.failure(id);
      const reported = await source.failure(id);
      expect({ ...reported, title: served?.title }).toEqual(served);
    }
  });

  it('serves overview and pages as JSON with a CSP header', async () => {
    const app = createViewApp(queries, TEMPLATE);
    const overview = await app.request('/api/overview');
    expect(overview.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(((await overview.json()) as { summary: { failureCount: number } }).summary.failureCount).toBe(240);
    const page = (await (await app.request('/api/failures?limit=7&offset=3')).json()) as { rows: unknown[]; total: number };
    expect(page.rows).toHaveLength(7);
    expect(page.total).toBe(240);
    expect(await (await app.request('/')).text()).toContain('id="errormap-data">null</script>');
  });
});

describe('single-file report', () => {
  it('cuts long texts evenly to the budget and says so', async () => {
    const data = loadRunData(run.dir);
    data.failures[0].inputText = 'x'.repeat(50_000);
    const full = encodeReport(data, Number.POSITIVE_INFINITY);
    const budget = full.strings.reduce((a, s) => a + s.length, 0) - 30_000;
    const payload = encodeReport(data, budget);
    expect(payload.strings.reduce((a, s) => a + s.length, 0)).toBeLessThanOrEqual(budget);
    const detail = await new ReportSource(payload).failure(data.failures[0].id);
    expect(detail?.truncated?.inputText).toBe(50_000);
    expect(detail?.inputText.length).toBeLessThan(50_000);
  });

  it('never lets a text close the data block', () => {
    const html = renderReportHtml(TEMPLATE, encodeReport(loadRunData(run.dir)));
    expect(html).not.toContain(HOSTILE.closeTag);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-/);
    expect(html).toContain("connect-src 'none'");
  });

  it('water-fills the text cap', () => {
    expect(textCap([100, 200], 1000)).toBe(Number.POSITIVE_INFINITY);
    expect(textCap([400, 2000, 5000], 2400)).toBe(1000);
  });
});

describe('signatures', () => {
  it('uses 95% Wilson intervals', () => {
    const [lo, hi] = wilsonInterval(5, 10);
    expect(lo).toBeCloseTo(0.2366, 3);
    expect(hi).toBeCloseTo(0.7634, 3);
    expect(wilsonInterval(0, 0)).toEqual([0, 0]);
  });

  it('shares of top-level categories add up to one per model, and incidence scales by the failure rate', () => {
    const { heatmap, summary, taxonomy } = queries.overview;
    heatmap.byModel.groups.forEach((model, g) => {
      const total = taxonomy.children.reduce((a, c) => a + heatmap.byModel.cells[c.id][g].share, 0);
      expect(total).toBeCloseTo(1, 9);
      const pop = summary.population.filter((p) => p.model === model);
      const rate = pop.reduce((a, p) => a + p.failures, 0) / pop.reduce((a, p) => a + p.predictions, 0);
      const cell = heatmap.byModel.cells[taxonomy.children[0].id][g];
      expect(cell.incidence).toBeCloseTo(cell.share * rate * 100, 9);
      expect(cell.lo).toBeLessThanOrEqual(cell.share);
      expect(cell.hi).toBeGreaterThanOrEqual(cell.share);
    });
  });
});
