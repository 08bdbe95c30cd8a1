/** The viewer's data: report payload vs served API, text budget, safe injection, signatures, profiles and noise. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareModels } from '../../src/chart/compare.js';
import { findNoiseCandidates } from '../../src/chart/noise.js';
import type { DatasetProfile } from '../../src/chart/profiles.js';
import type { SignatureRow } from '../../src/chart/signatures.js';
import { encodeReport, renderReportHtml, textCap } from '../../src/report/html-report.js';
import {
  boundComparison,
  boundNoise,
  type Heatmap,
  type HeatmapTable,
  NOISE_REPORT_LIMIT,
  type NoiseView,
} from '../../src/report/view-data.js';
import { createViewApp, RunQueries } from '../../src/report/view-server.js';
import { loadExampleOutcomes } from '../../src/store/example-outcomes.js';
import { loadRunData } from '../../src/store/run-data.js';
import { runFile } from '../../src/store/run-dir.js';
import { RunStore } from '../../src/store/run-store.js';
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
    const source = new ReportSource(encodeReport(loadRunData(run.dir), loadExampleOutcomes(run.dir)));
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

  it('gives the same examples, comparisons and list order; a comparison read backwards mirrors the one computed that way', async () => {
    const data = loadRunData(run.dir);
    const outcomes = loadExampleOutcomes(run.dir);
    const store = RunStore.open(run.dir, { readonly: true });
    const source = new ReportSource(encodeReport(data, outcomes, { predictionsOf: (d, e) => store.predictionsOf(d, e) }));
    store.close();
    for (const f of data.failures.slice(0, 40)) {
      const served = queries.example(f.dataset, f.exampleId);
      expect(await source.example(f.dataset, f.exampleId)).toEqual(served);
      expect(served?.outputs.find((o) => o.model === f.model)?.failure?.id).toBe(f.id);
    }
    expect(await source.example('theoremqa', 'no-such-example')).toBeUndefined();
    for (const depth of [1, 2]) {
      const [a, b] = ['llama-3.1-70b', 'mistral-7b'];
      expect(await source.compare(a, b, depth)).toEqual(queries.compare(a, b, depth));
      const backwards = await source.compare(b, a, depth);
      const computed = compareModels(data, outcomes, { modelA: b, modelB: a, depth });
      if (!('comparison' in backwards)) throw new Error(`not compared: ${JSON.stringify(backwards)}`);
      expect(backwards.comparison.modelA).toBe(b);
      expect(backwards.comparison.aFailsBSucceeds).toEqual(boundComparison(computed).aFailsBSucceeds);
      backwards.comparison.categories.forEach((row, i) => {
        const want = computed.categories[i];
        expect(row.categoryId).toBe(want.categoryId);
        expect(row.a).toEqual(want.a);
        expect(row.p).toBeCloseTo(want.p, 12);
        expect(row.differenceLow).toBeCloseTo(want.differenceLow as number, 12);
        expect([row.onlyA, row.onlyB, row.significant]).toEqual([want.onlyA, want.onlyB, want.significant]);
      });
    }
    const [fromReport, fromServer] = [await source.failures({ limit: 500 }), queries.failures({ limit: 500 })];
    expect(fromReport.rows.map((r) => r.id)).toEqual(fromServer.rows.map((r) => r.id));
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
    const full = encodeReport(data, [], { textBudget: Number.POSITIVE_INFINITY });
    const budget = full.strings.reduce((a, s) => a + s.length, 0) - 30_000;
    const payload = encodeReport(data, [], { textBudget: budget });
    expect(payload.strings.reduce((a, s) => a + s.length, 0)).toBeLessThanOrEqual(budget);
    const detail = await new ReportSource(payload).failure(data.failures[0].id);
    expect(detail?.truncated?.inputText).toBe(50_000);
    expect(detail?.inputText.length).toBeLessThan(50_000);
  });

  it('never lets a text close the data block', () => {
    const html = renderReportHtml(TEMPLATE, encodeReport(loadRunData(run.dir), loadExampleOutcomes(run.dir)));
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

describe('signatures, profiles and noise', () => {
  const cellsOf = (heatmap: Heatmap, groupBy: string): HeatmapTable =>
    groupBy === 'model' ? heatmap.byModel : groupBy === 'dataset' ? heatmap.byDataset : heatmap.byModelDataset;

  it("draws the heatmap from the run's signatures.json rows, in the server and in the report", () => {
    const file = JSON.parse(readFileSync(runFile(run.dir, 'signaturesJson'), 'utf8')) as { rows: SignatureRow[] };
    const fromReport = encodeReport(loadRunData(run.dir), loadExampleOutcomes(run.dir)).overview.heatmap;
    expect(new Set(file.rows.map((r) => r.groupBy))).toEqual(new Set(['model', 'dataset', 'model,dataset']));
    let checked = 0;
    for (const row of file.rows) {
      const node = row.categoryPath.length === row.depth; // a leaf ending above a depth repeats there
      if (!node) continue;
      for (const heatmap of [queries.overview.heatmap, fromReport]) {
        const table = cellsOf(heatmap, row.groupBy);
        const cell = table.cells[row.categoryId]?.[table.groups.indexOf(row.group)];
        expect(cell?.count).toBe(row.count);
        expect(cell?.share).toBeCloseTo(row.share, 8);
        expect(cell?.ciLow).toBeCloseTo(row.ciLow, 8);
        expect(cell?.ciHigh).toBeCloseTo(row.ciHigh, 8);
        expect(cell?.incidence).toBeCloseTo(row.incidence as number, 8);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('computes the same rows when the run directory has no signatures.json', () => {
    const bare = makeRunDir(join(tmp, 'bare'), { failures: 240, hostile: true, signatures: false });
    expect(existsSync(runFile(bare.dir, 'signaturesJson'))).toBe(false);
    const computed = new RunQueries(bare.dir);
    try {
      const a = computed.overview.heatmap.byModel;
      const b = queries.overview.heatmap.byModel;
      expect(a.groups).toEqual(b.groups);
      for (const [id, cells] of Object.entries(b.cells))
        cells.forEach((c, g) => {
          expect(a.cells[id][g]?.share).toBeCloseTo(c?.share as number, 8);
          expect(a.cells[id][g]?.ciHigh).toBeCloseTo(c?.ciHigh as number, 8);
        });
    } finally {
      computed.close();
    }
  });

  it('shares of top-level categories add up to one per model, and incidence scales by the failure rate', () => {
    const { heatmap, summary, taxonomy } = queries.overview;
    heatmap.byModel.groups.forEach((model, g) => {
      const total = taxonomy.children.reduce((a, c) => a + (heatmap.byModel.cells[c.id][g]?.share ?? 0), 0);
      expect(total).toBeCloseTo(1, 6);
      const pop = summary.population.filter((p) => p.model === model);
      const rate = pop.reduce((a, p) => a + p.failures, 0) / pop.reduce((a, p) => a + p.predictions, 0);
      const cell = heatmap.byModel.cells[taxonomy.children[0].id][g];
      expect(cell?.incidence).toBeCloseTo((cell?.share ?? 0) * rate * 100, 6);
      expect(cell?.ciLow).toBeLessThanOrEqual(cell?.share ?? -1);
      expect(cell?.ciHigh).toBeGreaterThanOrEqual(cell?.share ?? 2);
    });
  });

  it('serves the same benchmark profiles and noise candidates as the report carries', async () => {
    const payload = encodeReport(loadRunData(run.dir), loadExampleOutcomes(run.dir));
    const app = createViewApp(queries, TEMPLATE);
    const profiles = (await (await app.request('/api/profiles')).json()) as DatasetProfile[];
    expect(profiles).toEqual(payload.profiles);
    expect(profiles.map((p) => p.dataset)).toEqual(['alpaca_eval', 'mmlu_pro', 'theoremqa']);
    // "Instruction following" is a top-level category of the test taxonomy: not about the skill.
    for (const p of profiles) expect(p.offSkill.categories).toContain('Instruction following');
    const noise = (await (await app.request('/api/noise')).json()) as NoiseView;
    expect(noise.hardTotal).toBe(payload.noise.hardTotal);
    expect(noise.hardExamples.map((e) => e.exampleId)).toEqual(payload.noise.hardExamples.map((e) => e.exampleId));
    expect(noise.judgedCorrect.map((f) => f.failureId)).toEqual(payload.noise.judgedCorrect.map((f) => f.failureId));
  });

  it('flags the examples every model fails, not those other models answer correctly', () => {
    const noise = queries.noise();
    const data = loadRunData(run.dir);
    // make-run-dir: examples named dataset_N are failed by all four models; dataset_N-M by model M alone,
    // which the other models answer correctly.
    const shared = new Set(data.failures.filter((f) => /_\d+$/.test(f.exampleId)).map((f) => `${f.dataset}/${f.exampleId}`));
    expect(data.failures.some((f) => /-\d$/.test(f.exampleId))).toBe(true);
    expect(new Set(noise.hardExamples.map((e) => `${e.dataset}/${e.exampleId}`))).toEqual(shared);
    for (const e of noise.hardExamples) expect(e.failedModels).toHaveLength(4);
    const noError = data.failures.filter((f) => f.analysis && !f.analysis.hasError);
    expect(noise.judgedCorrectTotal).toBe(noError.length);
  });

  it('bounds the noise lists and their texts', () => {
    const candidates = findNoiseCandidates(loadRunData(run.dir), loadExampleOutcomes(run.dir));
    const bounded = boundNoise(candidates, 5);
    expect(bounded.hardExamples).toHaveLength(5);
    expect(bounded.hardTotal).toBe(candidates.hardExamples.length);
    expect(bounded.hardExamples.map((e) => e.exampleId)).toEqual(candidates.hardExamples.slice(0, 5).map((e) => e.exampleId));
    expect(Math.max(...bounded.judgedCorrect.map((f) => f.output.length))).toBeLessThanOrEqual(353);
    expect(NOISE_REPORT_LIMIT).toBe(200);
  });
});
