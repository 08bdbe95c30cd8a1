import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildAuditOverview } from '../audit/audit-overview.js';
import { auditSeedOf } from '../audit/audit-seed.js';
import { compareModels } from '../chart/compare.js';
import { findNoiseCandidates } from '../chart/noise.js';
import { computeProfiles } from '../chart/profiles.js';
import { computeSignatures, DEFAULT_GROUPINGS } from '../chart/signatures.js';
import type { TaxonomyNode } from '../contracts/taxonomy-node.js';
import { ErrormapError } from '../errors.js';
import type { Prediction } from '../ingest/prediction.js';
import { groupByExample } from '../prepare/example-groups.js';
import type { ExampleOutcome } from '../store/example-outcomes.js';
import { loadExampleOutcomes } from '../store/example-outcomes.js';
import { loadReviews } from '../store/review-queries.js';
import type { FailureView, RunData } from '../store/run-data.js';
import { loadRunData } from '../store/run-data.js';
import { runFile, writeFileAtomic } from '../store/run-dir.js';
import { RunStore } from '../store/run-store.js';
import { readTaxonomyFile } from '../taxonomy/reference-format.js';
import { buildExampleView, type ExampleFailure, referenceSettings } from './example-view.js';
import { heatmapFromSignatures } from './heatmap.js';
import type { ComparisonView, EncodedExample, EncodedFailure, Overview, ReportPayload } from './view-data.js';
import {
  boundComparison,
  boundNoise,
  buildOverview,
  comparisonKey,
  EMPTY_HEATMAP,
  NOISE_REPORT_LIMIT,
  QUALITY_CODES,
  STATUS_CODES,
  statusOf,
  toViewTree,
  treeDepth,
} from './view-data.js';

/** Characters of text the single-file report may carry; longer texts are cut evenly (full text: `errormap view`). */
export const REPORT_TEXT_BUDGET = 12_000_000;
/** No text is cut below this many characters, whatever the budget. */
const MIN_TEXT_CAP = 300;
const DATA_MARKER = '__ERRORMAP_DATA__';

export const VIEWER_INDEX = fileURLToPath(new URL('../../viewer-dist/index.html', import.meta.url));

/** The built viewer page (one file with script and styles inlined). */
export function readViewerTemplate(): string {
  if (!existsSync(VIEWER_INDEX)) {
    throw new ErrormapError('RUN_INVALID', `the viewer is not built (${VIEWER_INDEX} is missing): run \`npm run build:viewer\``);
  }
  return readFileSync(VIEWER_INDEX, 'utf8');
}

/** sha256 sources of the page's inline scripts, for a Content-Security-Policy that allows exactly them. */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  const open = /<script\b(?![^>]*type="application\/json")[^>]*>/g;
  for (let m = open.exec(html); m; m = open.exec(html)) {
    const start = m.index + m[0].length;
    const end = html.indexOf('</script>', start);
    if (end < 0) break;
    hashes.push(`'sha256-${createHash('sha256').update(html.slice(start, end), 'utf8').digest('base64')}'`);
  }
  return hashes;
}

/** The policy for the served page (`connect-src 'self'`) and the report file (no network at all). */
export function contentSecurityPolicy(html: string, allowApi: boolean): string {
  return [
    "default-src 'none'",
    `script-src ${inlineScriptHashes(html).join(' ') || "'none'"}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    `connect-src ${allowApi ? "'self'" : "'none'"}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Fills the template with data; `<` is escaped so no text can close the data block. */
export function injectData(template: string, data: unknown): string {
  if (!template.includes(DATA_MARKER))
    throw new ErrormapError('RUN_INVALID', 'the viewer page has no data marker: rebuild it with `npm run build:viewer`');
  return template.replace(DATA_MARKER, () => JSON.stringify(data).replace(/</g, '\\u003c'));
}

/** A report page: data injected plus a CSP meta tag, so even a file opened from disk cannot reach the network. */
export function renderReportHtml(template: string, payload: ReportPayload): string {
  const csp = contentSecurityPolicy(template, false);
  const withPolicy = template.replace('<head>', () => `<head>\n    <meta http-equiv="Content-Security-Policy" content="${csp}" />`);
  return injectData(withPolicy, payload);
}

/** Largest per-text length such that all texts together fit the budget ("water filling"). */
export function textCap(lengths: number[], budget: number): number {
  const total = lengths.reduce((a, b) => a + b, 0);
  if (total <= budget) return Number.POSITIVE_INFINITY;
  let lo = MIN_TEXT_CAP;
  let hi = Math.max(...lengths);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const used = lengths.reduce((a, l) => a + Math.min(l, mid), 0);
    if (used <= budget) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Options of `encodeReport`. */
export interface ReportOptions {
  /** Characters of text the report may carry (default REPORT_TEXT_BUDGET). */
  textBudget?: number;
  /** Every model's predictions on an example (the run database's); without it an example shows its sampled failures only. */
  predictionsOf?: (dataset: string, exampleId: string) => Prediction[];
}

/** What the side-by-side view needs of a sampled failure. */
function exampleFailureOf(f: FailureView): ExampleFailure {
  return {
    id: f.id,
    model: f.model,
    status: statusOf(f),
    title: f.analysis?.errorTitle ?? f.findings[0]?.title ?? '',
    leaf: f.path.at(-1) ?? '',
    threshold: f.threshold,
    source: f.analysis?.source,
  };
}

/**
 * Every two models that share a dataset, compared at every depth as `errormap compare` compares them
 * (models in sorted order; the viewer mirrors for the other order), or why they cannot be.
 */
function reportComparisons(data: RunData, outcomes: readonly ExampleOutcome[], depth: number): Record<string, ComparisonView | string> {
  const datasetsOf = new Map<string, Set<string>>();
  for (const p of data.population) datasetsOf.set(p.model, (datasetsOf.get(p.model) ?? new Set()).add(p.dataset));
  const models = [...datasetsOf.keys()].sort();
  const out: Record<string, ComparisonView | string> = {};
  for (const [i, a] of models.entries())
    for (const b of models.slice(i + 1)) {
      const shared = [...(datasetsOf.get(a) ?? [])].some((d) => datasetsOf.get(b)?.has(d));
      if (!shared) continue;
      for (let d = 1; d <= depth; d++) {
        try {
          out[comparisonKey(a, b, d)] = boundComparison(compareModels(data, outcomes, { modelA: a, modelB: b, depth: d }));
        } catch (e) {
          if (!ErrormapError.isInstance(e)) throw e;
          out[comparisonKey(a, b, d)] = e.message;
        }
      }
    }
  return out;
}

/**
 * Cuts a text to `cap` characters keeping its start and, longer, its end (where outputs put the final
 * answer), with a marker between.
 */
export function cutText(text: string, cap: number): string {
  if (text.length <= cap) return text;
  if (cap <= CUT_MARKER.length * 2) return text.slice(0, cap);
  const head = Math.floor((cap - CUT_MARKER.length) * 0.3);
  const tail = cap - CUT_MARKER.length - head;
  return `${text.slice(0, head)}${CUT_MARKER}${text.slice(text.length - tail)}`;
}

const CUT_MARKER = '\n[… cut for the report …]\n';

/** A [start, end) span of a text after `cutText`: moved with the tail, dropped when the cut removed part of it. */
function spanAfterCut(start: number, end: number, length: number, cap: number): [number, number] | undefined {
  if (length <= cap) return [start, end];
  if (cap <= CUT_MARKER.length * 2) return end <= cap ? [start, end] : undefined;
  const head = Math.floor((cap - CUT_MARKER.length) * 0.3);
  const dropped = length - cap;
  if (end <= head) return [start, end];
  if (start - dropped >= head + CUT_MARKER.length) return [start - dropped, end - dropped];
  return undefined;
}

/**
 * Packs a loaded run into the report payload: the run's signatures (computed as `errormap run` computes
 * signatures file), benchmark profiles, suspected noise (top NOISE_REPORT_LIMIT of each list; `outcomes` =
 * every prediction's outcome, from loadExampleOutcomes), model comparisons, every model's output on the
 * examples with a sampled failure, and the failures as deduplicated strings, cut to the budget, and numeric tuples.
 */
export function encodeReport(data: RunData, outcomes: readonly ExampleOutcome[], options: ReportOptions = {}): ReportPayload {
  const signatures = computeSignatures(data, { groupings: DEFAULT_GROUPINGS });
  const overview = buildOverview(data, heatmapFromSignatures(signatures), 'report');
  const noise = boundNoise(findNoiseCandidates(data, outcomes), NOISE_REPORT_LIMIT);
  const strings: string[] = [];
  const index = new Map<string, number>();
  const str = (value: string): number => {
    let i = index.get(value);
    if (i === undefined) {
      i = strings.length;
      strings.push(value);
      index.set(value, i);
    }
    return i;
  };
  const opt = (value: string | undefined) => (value === undefined ? -1 : str(value));
  const datasets = new Map(overview.summary.datasets.map((d, i) => [d, i]));
  const models = new Map(overview.summary.models.map((m, i) => [m, i]));
  const datasetIdx = (d: string) => datasets.get(d) ?? datasets.set(d, overview.summary.datasets.push(d) - 1).get(d) ?? -1;
  const modelIdx = (m: string) => models.get(m) ?? models.set(m, overview.summary.models.push(m) - 1).get(m) ?? -1;
  const failures: EncodedFailure[] = data.failures.map((f) => {
    const a = f.analysis;
    return [
      str(f.id),
      str(f.exampleId),
      datasetIdx(f.dataset),
      modelIdx(f.model),
      f.score,
      f.threshold,
      f.path.length > 0 ? str(f.path[f.path.length - 1]) : -1,
      STATUS_CODES.indexOf(statusOf(f)),
      str(a?.errorTitle ?? f.findings[0]?.title ?? ''),
      str(a?.errorSummary ?? ''),
      str(f.inputText),
      str(f.outputText),
      opt(f.correctAnswer),
      opt(a?.judge),
      opt(a?.source),
      opt(f.analysisError),
      Object.entries(f.metadata).map(([k, v]) => [str(k), str(v)]),
      (a?.criteria ?? []).map((c) => [
        str(c.criterion),
        c.present ? 1 : 0,
        QUALITY_CODES.indexOf(c.quality),
        str(c.evidence),
        str(c.comment),
      ]),
      f.findings.map((x) => [str(x.detector), str(x.family), str(x.title), str(x.summary), str(x.evidence), str(x.precision)]),
      f.path.map(str),
    ];
  });
  const settings = referenceSettings(data.record.settings);
  const examples: EncodedExample[] = [];
  for (const group of groupByExample(data.failures)) {
    const view = buildExampleView(
      options.predictionsOf?.(group[0].dataset, group[0].exampleId) ?? group,
      group.map(exampleFailureOf),
      settings,
    );
    if (!view) continue;
    examples.push([
      datasetIdx(view.dataset),
      str(view.exampleId),
      str(view.inputText),
      opt(view.correctAnswer),
      view.threshold,
      view.outputs.map((o) => [
        modelIdx(o.model),
        o.score ?? null,
        str(o.outputText),
        o.failed ? 1 : 0,
        o.shownToJudge ? 1 : 0,
        o.answer?.[0] ?? -1,
        o.answer?.[1] ?? -1,
        o.failure ? str(o.failure.id) : -1,
      ]),
    ]);
  }
  const cap = textCap(
    strings.map((s) => s.length),
    options.textBudget ?? REPORT_TEXT_BUDGET,
  );
  const cut: Record<number, number> = {};
  strings.forEach((s, i) => {
    if (s.length > cap) {
      cut[i] = s.length;
      strings[i] = cutText(s, cap);
    }
  });
  for (const [, , , , , outputs] of examples)
    for (const o of outputs) {
      const length = cut[o[2]];
      if (length === undefined || o[5] < 0) continue;
      const span = spanAfterCut(o[5], o[6], length, cap);
      [o[5], o[6]] = span ?? [-1, -1];
    }
  return {
    overview,
    strings,
    cut,
    failures,
    profiles: computeProfiles(data),
    noise,
    examples,
    comparisons: reportComparisons(data, outcomes, treeDepth(overview.taxonomy)),
  };
}

export interface WrittenReport {
  file: string;
  bytes: number;
  failures: number;
  truncatedTexts: number;
}

/** Writes the run's report file (or outFile): the viewer with the run's data, one file that opens from disk. */
export function writeHtmlReport(runDir: string, outFile?: string): WrittenReport {
  const template = readViewerTemplate();
  const data = loadRunData(runDir);
  const store = RunStore.open(runDir, { readonly: true });
  let payload: ReportPayload;
  try {
    payload = encodeReport(data, loadExampleOutcomes(runDir), {
      predictionsOf: (dataset, exampleId) => store.predictionsOf(dataset, exampleId),
    });
  } finally {
    store.close();
  }
  payload.overview.audit = buildAuditOverview(data.taxonomy, loadReviews(runDir), auditSeedOf(data.record.settings));
  const html = renderReportHtml(template, payload);
  const file = outFile ?? runFile(runDir, 'report');
  writeFileAtomic(file, html);
  return {
    file,
    bytes: Buffer.byteLength(html),
    failures: payload.failures.length,
    truncatedTexts: Object.keys(payload.cut).length,
  };
}

/** A report of a taxonomy alone (for example one written by the reference ErrorMap implementation). */
export function taxonomyOnlyPayload(taxonomy: TaxonomyNode, name: string): ReportPayload {
  const tree = toViewTree(taxonomy);
  const overview: Overview = {
    mode: 'report',
    taxonomyOnly: true,
    taxonomy: tree,
    heatmap: EMPTY_HEATMAP,
    summary: {
      runName: name,
      record: {
        status: 'finished',
        tool: { name: 'errormap', version: '' },
        startedAt: '',
        settings: {},
        judge: '',
        offline: false,
        inputs: [],
        counts: {
          predictions: 0,
          failures: tree.count,
          sampled: 0,
          analysed: tree.count,
          noError: 0,
          analysisFailed: 0,
          categories: 0,
        },
        usage: {},
        promptVersions: {},
      },
      population: [],
      models: [],
      datasets: [],
      failureCount: 0,
    },
  };
  return {
    overview,
    strings: [],
    cut: {},
    failures: [],
    profiles: [],
    noise: { hardExamples: [], hardTotal: 0, judgedCorrect: [], judgedCorrectTotal: 0, limit: 0 },
    examples: [],
    comparisons: {},
  };
}

/** Writes a taxonomy-only report from a taxonomy file in the reference implementation's JSON format. */
export function writeTaxonomyReport(taxonomyFile: string, outFile: string): WrittenReport {
  const taxonomy = readTaxonomyFile(taxonomyFile);
  const name = taxonomyFile.split(/[\\/]/).pop() ?? taxonomyFile;
  const html = renderReportHtml(readViewerTemplate(), taxonomyOnlyPayload(taxonomy, name));
  writeFileAtomic(outFile, html);
  return {
    file: outFile,
    bytes: Buffer.byteLength(html),
    failures: 0,
    truncatedTexts: 0,
  };
}
