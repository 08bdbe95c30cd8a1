/**
 * The viewer's data model, shared by the single-file report (injected JSON), the local server (API JSON)
 * and the browser app. Pure functions only and type-only imports: the browser bundle imports this file.
 */

import type { AuditOverview } from '../audit/audit-overview.js';
import type { ExamplesByCategory, ModelComparison } from '../chart/compare.js';
import type { HardExample, JudgedCorrectFailure, NoiseCandidates } from '../chart/noise.js';
import type { DatasetProfile } from '../chart/profiles.js';
import type { SignatureRow } from '../chart/signatures.js';
import type { Criterion } from '../contracts/analysis.js';
import type { RunRecord } from '../contracts/run-record.js';
import type { TaxonomyNode } from '../contracts/taxonomy-node.js';
import type { PopulationStats } from '../prepare/failure.js';
import type { FailureFilter, FailureListRow, FindingRow } from '../store/failure-queries.js';
import type { RunData } from '../store/run-data.js';

/** A taxonomy node without its failure ids (the viewer asks for failures separately). */
export interface ViewNode extends Omit<TaxonomyNode, 'failureIds' | 'children'> {
  children: ViewNode[];
}

export interface ViewSummary {
  runName: string;
  record: Pick<
    RunRecord,
    | 'status'
    | 'tool'
    | 'startedAt'
    | 'finishedAt'
    | 'settings'
    | 'judge'
    | 'offline'
    | 'inputs'
    | 'counts'
    | 'usage'
    | 'precheck'
    | 'promptVersions'
    | 'warnings'
    | 'taxonomyRatings'
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
  /** The human audit's figures and reviews, when the run has reviews. */
  audit?: AuditOverview;
}

export type FailureStatus = 'error' | 'no-error' | 'unanalysed' | 'pending';

/** One line of a failure list: the database's row, with its analysis outcome as one status. */
export interface FailureRow extends Omit<FailureListRow, 'hasError' | 'reason'> {
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
  findings: FindingRow[];
  analysisError?: string;
  /** Node ids from the top-level category down to the leaf. */
  path: string[];
  /** Original lengths of fields cut to fit the single-file report (field name → characters). */
  truncated?: Record<string, number>;
}

/** One model's prediction on an example, as the side-by-side view shows it. */
export interface ExampleOutput {
  model: string;
  /** Undefined when the results gave this prediction no usable score (it neither failed nor succeeded). */
  score?: number;
  /** Below the dataset's threshold: a failure of the model (sampled or not). */
  failed: boolean;
  outputText: string;
  /** Original length when the single-file report cut the text. */
  cut?: number;
  /** Where the final answer read from the output is: [start, end) in outputText. */
  answer?: [number, number];
  /** Given to the judge as another model's correct output when this example's failures were analysed. */
  shownToJudge: boolean;
  /** The sampled failure of this prediction, when it is one: id, analysis outcome, title and leaf category. */
  failure?: { id: string; status: FailureStatus; title: string; leaf: string };
}

/** An example with every model's output on it: the failure side by side with its peers. */
export interface ExampleView {
  dataset: string;
  exampleId: string;
  inputText: string;
  correctAnswer?: string;
  /** Original lengths of the input and reference when the single-file report cut them. */
  truncated?: { inputText?: number; correctAnswer?: number };
  /** A score at or above it is correct. */
  threshold: number;
  /** One per model, failures first, then by model. */
  outputs: ExampleOutput[];
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

/**
 * Leaf ids in the order failure lists show them: the largest category first (most failures; ties in tree
 * order). Lists sort by it, then by model, then in sample order.
 */
export function leafOrder(root: ViewNode): string[] {
  const leaves: ViewNode[] = [];
  const walk = (n: ViewNode) => {
    if (n.children.length === 0 && n !== root) leaves.push(n);
    n.children.forEach(walk);
  };
  walk(root);
  return leaves
    .map((n, i) => ({ id: n.id, count: n.count, i }))
    .sort((a, b) => b.count - a.count || a.i - b.i)
    .map((n) => n.id);
}

/** Levels of the tree below `node` (0 for a leaf): the deepest depth a view of it can show. */
export function treeDepth(node: ViewNode): number {
  return node.children.reduce((d, c) => Math.max(d, 1 + treeDepth(c)), 0);
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
      warnings: r.warnings,
      taxonomyRatings: r.taxonomyRatings,
    },
    population: data.population,
    models: [...new Set(data.population.map((p) => p.model))].sort(),
    datasets: [...new Set(data.population.map((p) => p.dataset))].sort(),
    failureCount,
  };
}

/** Overview of a loaded run (report mode and tests), with its heatmap (src/report/heatmap.ts). */
export function buildOverview(data: RunData, heatmap: Heatmap, mode: Overview['mode']): Overview {
  return {
    summary: buildSummary(data, data.failures.length),
    taxonomy: toViewTree(data.taxonomy),
    heatmap,
    mode,
  };
}

/**
 * What a viewer query selects: the leaves under its node (none for the root: every failure), its model,
 * dataset and text. The server runs it as SQL (store/failure-queries.ts), the single-file report in
 * memory (`matchesFilter`); one definition keeps both answering alike.
 */
export function failureFilter(query: FailureQuery, taxonomy: ViewNode): FailureFilter {
  const leafIds = query.node && query.node !== taxonomy.id ? (subtreeIds(taxonomy, query.node) ?? new Set<string>()) : undefined;
  return { leafIds, model: query.model || undefined, dataset: query.dataset || undefined, text: query.q || undefined };
}

/** `failureFilter` applied to one row in memory; `haystack` gives the texts the filter's text is searched in. */
export function matchesFilter(row: FailureRow, haystack: () => string, filter: FailureFilter): boolean {
  if (filter.model && row.model !== filter.model) return false;
  if (filter.dataset && row.dataset !== filter.dataset) return false;
  if (filter.leafIds && !filter.leafIds.has(row.leaf)) return false;
  if (filter.text && !haystack().toLowerCase().includes(filter.text.toLowerCase())) return false;
  return true;
}

// ---- failure signatures (heatmap) -------------------------------------------------------------
// The cells are the rows of src/chart/signatures.ts (`computeSignatures`, the same rows as the run's
// signatures file), laid out per taxonomy node and group by src/report/heatmap.ts.

/**
 * One signature row's numbers: weighted share with its 95% Wilson interval, incidence per 100 predictions;
 * and how the share compares with the group's peers (src/chart/peer-contrast.ts): the raw Fisher exact p
 * against the peers' pooled count and the pooled share. Peers are the table's other groups, and in the
 * model × dataset table the other models on the same dataset. The viewer corrects p over the cells it shows.
 */
export type HeatmapCell = Pick<
  SignatureRow,
  'count' | 'n' | 'share' | 'ciLow' | 'ciHigh' | 'incidence' | 'incidenceLow' | 'incidenceHigh'
> & {
  p?: number;
  peerShare?: number;
};

export interface HeatmapTable {
  groups: string[];
  /** Per category id: one cell per group, in `groups` order; null where the group has no row. */
  cells: Record<string, (HeatmapCell | null)[]>;
}

export interface Heatmap {
  byModel: HeatmapTable;
  byDataset: HeatmapTable;
  /** Groups are "model × dataset" labels (MODEL_DATASET_SEPARATOR). */
  byModelDataset: HeatmapTable;
}

/** Separator of model × dataset group labels (the value of MODEL_DATASET_SEPARATOR in src/chart/signatures.ts). */
export const GROUP_SEPARATOR = ' × ';

/** The dataset of a model × dataset group label. */
export function datasetOfGroup(group: string): string {
  return group.slice(group.lastIndexOf(GROUP_SEPARATOR) + GROUP_SEPARATOR.length);
}

/** The model of a model × dataset group label. */
export function modelOfGroup(group: string): string {
  return group.slice(0, group.lastIndexOf(GROUP_SEPARATOR));
}

export const EMPTY_HEATMAP: Heatmap = {
  byModel: { groups: [], cells: {} },
  byDataset: { groups: [], cells: {} },
  byModelDataset: { groups: [], cells: {} },
};

// ---- benchmark profiles and suspected noise ------------------------------------------------------

/** Rows shown per noise list in the single-file report (the server shows NOISE_SERVER_LIMIT). */
export const NOISE_REPORT_LIMIT = 200;
export const NOISE_SERVER_LIMIT = 1000;
/** Characters of a text shown in a noise list: its start and, where prompts put the question, its end. */
const NOISE_TEXT_HEAD = 100;
const NOISE_TEXT_TAIL = 250;

export interface NoiseView {
  /** Examples most models fail, most-failed first; at most `limit`. */
  hardExamples: HardExample[];
  hardTotal: number;
  /** Failures the judge found no error in; at most `limit`. */
  judgedCorrect: JudgedCorrectFailure[];
  judgedCorrectTotal: number;
  limit: number;
}

const cap = (text: string | undefined) =>
  text !== undefined && text.length > NOISE_TEXT_HEAD + NOISE_TEXT_TAIL + 3
    ? `${text.slice(0, NOISE_TEXT_HEAD)} … ${text.slice(-NOISE_TEXT_TAIL)}`
    : text;

/** The noise candidates a view shows: the first `limit` of each list, texts cut (the full failure opens on click). */
export function boundNoise(noise: NoiseCandidates, limit: number): NoiseView {
  return {
    hardExamples: noise.hardExamples.slice(0, limit).map((e) => ({ ...e, input: cap(e.input), reference: cap(e.reference) })),
    hardTotal: noise.hardExamples.length,
    judgedCorrect: noise.judgedCorrect.slice(0, limit).map((f) => ({
      ...f,
      input: cap(f.input) ?? '',
      output: cap(f.output) ?? '',
      reference: cap(f.reference),
      criteria: [],
    })),
    judgedCorrectTotal: noise.judgedCorrect.length,
    limit,
  };
}

// ---- model comparison ------------------------------------------------------------------------------

/** Examples of one category where one model fails and the other is right: the first few, and how many there are. */
export interface ExampleList extends ExamplesByCategory {
  total: number;
}

/** `compareModels` (src/chart/compare.ts) as the viewer shows it: example lists cut to the first few. */
export type ComparisonView = Omit<ModelComparison, 'aFailsBSucceeds' | 'bFailsASucceeds'> & {
  aFailsBSucceeds: ExampleList[];
  bFailsASucceeds: ExampleList[];
};

/** A comparison, or why the two models cannot be compared (for example: they share no dataset). */
export type CompareResult = { comparison: ComparisonView } | { error: string };

/** Examples kept per category and direction in a comparison the viewer shows. */
export const COMPARE_EXAMPLES = 8;

/** A comparison with each category's example lists cut to `limit`. */
export function boundComparison(c: ModelComparison, limit = COMPARE_EXAMPLES): ComparisonView {
  const cut = (lists: ExamplesByCategory[]): ExampleList[] =>
    lists.map((l) => ({ ...l, examples: l.examples.slice(0, limit), total: l.examples.length }));
  return { ...c, aFailsBSucceeds: cut(c.aFailsBSucceeds), bFailsASucceeds: cut(c.bFailsASucceeds) };
}

/**
 * The comparison of B with A from that of A with B: sides, example lists and paired counts swapped,
 * the difference negated (Newcombe's interval mirrors). The tests and p values do not depend on the order.
 */
export function mirrorComparison(c: ComparisonView): ComparisonView {
  return {
    ...c,
    modelA: c.modelB,
    modelB: c.modelA,
    noError: { a: c.noError.b, b: c.noError.a },
    aFailsBSucceeds: c.bFailsASucceeds,
    bFailsASucceeds: c.aFailsBSucceeds,
    categories: c.categories.map((r) => ({
      ...r,
      a: r.b,
      b: r.a,
      difference: r.difference === undefined ? undefined : -r.difference,
      differenceLow: r.differenceHigh === undefined ? undefined : -r.differenceHigh,
      differenceHigh: r.differenceLow === undefined ? undefined : -r.differenceLow,
      onlyA: r.onlyB,
      onlyB: r.onlyA,
    })),
  };
}

/** The key of a comparison in the report: the two models in sorted order and the depth. */
export function comparisonKey(a: string, b: string, depth: number): string {
  return [a < b ? a : b, a < b ? b : a, depth].join('\u0000');
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
  /** Per dataset: top categories and the share of failures not about the claimed skill. */
  profiles: DatasetProfile[];
  noise: NoiseView;
  /** Every model's prediction on each example that has a sampled failure; see `EncodedExample`. */
  examples: EncodedExample[];
  /**
   * Every two models that share a dataset, at every depth, keyed by `comparisonKey` (models in sorted
   * order; the other order is `mirrorComparison`); a string says why the pair cannot be compared.
   */
  comparisons: Record<string, ComparisonView | string>;
}

/**
 * [datasetIdx, exampleId, input, reference (-1 none), threshold,
 *  outputs [[modelIdx, score (null: no score), output, failed (0/1), shownToJudge (0/1), answerStart (-1 none), answerEnd, failureId (-1 none)]…]]
 */
export type EncodedExample = [
  datasetIdx: number,
  exampleId: number,
  input: number,
  reference: number,
  threshold: number,
  outputs: EncodedExampleOutput[],
];

/** One model's prediction on an encoded example; the score is null when the prediction has none. */
export type EncodedExampleOutput = [
  modelIdx: number,
  score: number | null,
  output: number,
  failed: number,
  shownToJudge: number,
  answerStart: number,
  answerEnd: number,
  failureId: number,
];

/**
 * [id, exampleId, datasetIdx, modelIdx, score, threshold, leaf (string idx or -1), status (0 error, 1 no-error, 2 unanalysed, 3 pending),
 *  title, summary, input, output, reference (-1 none), judge (-1), source (-1), analysisError (-1),
 *  metadata [[key, value]…], criteria [[criterion, present, quality (0 correct, 1 partially, 2 incorrect), evidence, comment]…],
 *  findings [[detector, family, title, summary, evidence, precision]…], path [string idx…]]
 */
export type EncodedFailure = [
  id: number,
  exampleId: number,
  datasetIdx: number,
  modelIdx: number,
  score: number,
  threshold: number,
  leaf: number,
  status: number,
  title: number,
  summary: number,
  input: number,
  output: number,
  reference: number,
  judge: number,
  source: number,
  analysisError: number,
  metadata: number[][],
  criteria: number[][],
  findings: number[][],
  path: number[],
];

export const STATUS_CODES: FailureStatus[] = ['error', 'no-error', 'unanalysed', 'pending'];
export const QUALITY_CODES: Criterion['quality'][] = ['correct', 'partially correct', 'incorrect'];
