/**
 * The viewer's data model, shared by the single-file report (injected JSON), the local server (API JSON)
 * and the browser app. Pure functions only and type-only imports: the browser bundle imports this file.
 */
import type { Criterion } from '../analyze/analysis.js';
import type { PopulationStats } from '../prepare/failure.js';
import type { RunData } from '../store/run-data.js';
import type { RunRecord } from '../store/run-record.js';
import type { TaxonomyNode } from '../taxonomy/tree.js';

/** A taxonomy node without its failure ids (the viewer asks for failures separately). */
export interface ViewNode {
  id: string;
  name: string;
  description: string;
  depth: number;
  count: number;
  share: number;
  children: ViewNode[];
}

export interface ViewSummary {
  runName: string;
  record: Pick<
    RunRecord,
    'status' | 'tool' | 'startedAt' | 'finishedAt' | 'settings' | 'judge' | 'offline' | 'inputs' | 'counts' | 'usage' | 'precheck' | 'promptVersions'
  >;
  population: PopulationStats[];
  models: string[];
  datasets: string[];
  /** Sampled failures known to the viewer (all of them, served or injected). */
  failureCount: number;
}

/** What the app loads first: enough to draw every view except failure lists and details. */
export interface Overview {
  summary: ViewSummary;
  taxonomy: ViewNode;
  heatmap: Heatmap;
  /** "report" = data injected into one file (texts may be truncated); "server" = served by `errormap view`. */
  mode: 'report' | 'server';
  /** Only in taxonomy-only reports (no run directory): there are no failures to list. */
  taxonomyOnly?: boolean;
}

export type FailureStatus = 'error' | 'no-error' | 'unanalysed' | 'pending';

/** One line of a failure list. */
export interface FailureRow {
  id: string;
  dataset: string;
  model: string;
  exampleId: string;
  score: number;
  threshold: number;
  title: string;
  /** Deepest taxonomy node the failure is filed under, or "" when not placed. */
  leaf: string;
  status: FailureStatus;
}

export interface FailureDetail extends FailureRow {
  inputText: string;
  outputText: string;
  correctAnswer?: string;
  metadata: Record<string, string>;
  summary: string;
  judge?: string;
  source?: string;
  criteria: Criterion[];
  findings: {
    detector: string;
    family: string;
    title: string;
    summary: string;
    evidence: string;
  }[];
  analysisError?: string;
  /** Node ids from the top-level category down to the leaf. */
  path: string[];
  /** Original lengths of fields cut to fit the single-file report (field name → characters). */
  truncated?: Record<string, number>;
}

export interface FailureQuery {
  node?: string;
  model?: string;
  dataset?: string;
  q?: string;
  offset?: number;
  limit?: number;
}

export interface FailurePage {
  total: number;
  offset: number;
  rows: FailureRow[];
}

export const PAGE_SIZE = 50;

export function toViewTree(node: TaxonomyNode): ViewNode {
  return {
    id: node.id,
    name: node.name,
    description: node.description,
    depth: node.depth,
    count: node.count,
    share: node.share,
    children: node.children.map(toViewTree),
  };
}

/** Ids of a node and all its descendants; undefined when the node does not exist. */
export function subtreeIds(root: ViewNode, nodeId: string): Set<string> | undefined {
  const find = (n: ViewNode): ViewNode | undefined => (n.id === nodeId ? n : n.children.map(find).find(Boolean));
  const start = find(root);
  if (!start) return undefined;
  const ids = new Set<string>();
  const walk = (n: ViewNode) => {
    ids.add(n.id);
    n.children.forEach(walk);
  };
  walk(start);
  return ids;
}

export function statusOf(f: RunData['failures'][number]): FailureStatus {
  if (f.analysis) return f.analysis.hasError ? 'error' : 'no-error';
  return f.analysisError ? 'unanalysed' : 'pending';
}

export function runName(dir: string): string {
  const parts = dir.replace(/[\\/]+$/, '').split(/[\\/]/);
  return parts[parts.length - 1] || dir;
}

export function buildSummary(data: Pick<RunData, 'dir' | 'record' | 'population'>, failureCount: number): ViewSummary {
  const r = data.record;
  return {
    runName: runName(data.dir),
    record: {
      status: r.status,
      tool: r.tool,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      settings: r.settings,
      judge: r.judge,
      offline: r.offline,
      inputs: r.inputs,
      counts: r.counts,
      usage: r.usage,
      precheck: r.precheck,
      promptVersions: r.promptVersions,
    },
    population: data.population,
    models: [...new Set(data.population.map((p) => p.model))].sort(),
    datasets: [...new Set(data.population.map((p) => p.dataset))].sort(),
    failureCount,
  };
}

/** Overview of a loaded run (report mode and tests; the server builds the same from SQL). */
export function buildOverview(data: RunData, mode: Overview['mode']): Overview {
  const taxonomy = toViewTree(data.taxonomy);
  const placements = data.failures.filter((f) => f.path.length > 0).map((f) => ({ model: f.model, dataset: f.dataset, path: f.path }));
  return {
    summary: buildSummary(data, data.failures.length),
    taxonomy,
    heatmap: computeHeatmap(taxonomy, placements, data.population),
    mode,
  };
}

/** Rows matching a query's model, dataset and text filters, within a node's subtree (the root: all). */
export function matchesQuery(row: FailureRow, haystack: () => string, query: FailureQuery, inNode: Set<string> | undefined): boolean {
  if (query.model && row.model !== query.model) return false;
  if (query.dataset && row.dataset !== query.dataset) return false;
  if (inNode && !inNode.has(row.leaf)) return false;
  if (query.q) {
    const needle = query.q.toLowerCase();
    if (!haystack().toLowerCase().includes(needle)) return false;
  }
  return true;
}

// ---- failure signatures (heatmap) -------------------------------------------------------------
// src/chart/signatures.ts did not exist when this was written, so the cells are computed here.

/** 95% Wilson score interval for k successes out of n. */
export function wilsonInterval(k: number, n: number, z = 1.96): [number, number] {
  if (n === 0) return [0, 0];
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** One failure's place, enough to count it per model and dataset. */
export interface Placement {
  model: string;
  dataset: string;
  path: string[];
}

/** Share of a group's placed failures that fall in a category, with a 95% Wilson interval; incidence per 100 predictions. */
export interface HeatmapCell {
  k: number;
  n: number;
  share: number;
  lo: number;
  hi: number;
  incidence: number;
  incLo: number;
  incHi: number;
}

export interface HeatmapTable {
  groups: string[];
  /** Per node id: one cell per group, in `groups` order. */
  cells: Record<string, HeatmapCell[]>;
}

export interface Heatmap {
  byModel: HeatmapTable;
  byDataset: HeatmapTable;
}

function failureRate(population: PopulationStats[], key: 'model' | 'dataset', group: string): number {
  let predictions = 0;
  let failures = 0;
  for (const p of population)
    if (p[key] === group) {
      predictions += p.predictions;
      failures += p.failures;
    }
  return predictions > 0 ? failures / predictions : 0;
}

function table(root: ViewNode, placements: Placement[], population: PopulationStats[], key: 'model' | 'dataset'): HeatmapTable {
  const groups = [...new Set([...population.map((p) => p[key]), ...placements.map((p) => p[key])])].sort();
  const index = new Map(groups.map((g, i) => [g, i]));
  const totals = new Array<number>(groups.length).fill(0);
  const counts = new Map<string, number[]>();
  for (const p of placements) {
    const g = index.get(p[key]) as number;
    totals[g]++;
    for (const id of p.path) {
      const row = counts.get(id) ?? new Array<number>(groups.length).fill(0);
      counts.set(id, row);
      row[g]++;
    }
  }
  const rates = groups.map((g) => failureRate(population, key, g));
  const cells: Record<string, HeatmapCell[]> = {};
  const walk = (node: ViewNode) => {
    const row = node.depth === 0 ? totals : (counts.get(node.id) ?? new Array<number>(groups.length).fill(0));
    cells[node.id] = row.map((k, g) => {
      const n = totals[g];
      const [lo, hi] = wilsonInterval(k, n);
      const scale = rates[g] * 100;
      const share = n > 0 ? k / n : 0;
      return {
        k,
        n,
        share,
        lo,
        hi,
        incidence: share * scale,
        incLo: lo * scale,
        incHi: hi * scale,
      };
    });
    node.children.forEach(walk);
  };
  walk(root);
  return { groups, cells };
}

/** Failure signatures per model and per dataset (benchmark profiles) for every taxonomy node. */
export function computeHeatmap(root: ViewNode, placements: Placement[], population: PopulationStats[]): Heatmap {
  return {
    byModel: table(root, placements, population, 'model'),
    byDataset: table(root, placements, population, 'dataset'),
  };
}

// ---- single-file report payload ------------------------------------------------------------------

/**
 * Failures in the single-file report: texts live once in `strings` (deduplicated, cut to a budget);
 * each failure is a tuple of numbers pointing into it, which keeps 10,000 failures to a few MB.
 */
export interface ReportPayload {
  overview: Overview;
  strings: string[];
  /** String index → original length, for strings that were cut. */
  cut: Record<number, number>;
  /** See `EncodedFailure`. */
  failures: EncodedFailure[];
}

/**
 * [id, exampleId, datasetIdx, modelIdx, score, threshold, leaf (string idx or -1), status (0 error, 1 no-error, 2 unanalysed, 3 pending),
 *  title, summary, input, output, reference (-1 none), judge (-1), source (-1), analysisError (-1),
 *  metadata [[key, value]…], criteria [[criterion, present, quality (0 correct, 1 partially, 2 incorrect), evidence, comment]…],
 *  findings [[detector, family, title, summary, evidence]…], path [string idx…]]
 */
export type EncodedFailure = [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number[][],
  number[][],
  number[][],
  number[],
];

export const STATUS_CODES: FailureStatus[] = ['error', 'no-error', 'unanalysed', 'pending'];
export const QUALITY_CODES: Criterion['quality'][] = ['correct', 'partially correct', 'incorrect'];
