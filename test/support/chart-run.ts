/** Builds small runs in memory for the chart tests (no database, no files). */

import { stratumKey } from '../../src/chart/weighted-shares.js';
import type { Analysis } from '../../src/contracts/analysis.js';
import type { RunRecord } from '../../src/contracts/run-record.js';
import type { TaxonomyNode } from '../../src/contracts/taxonomy-node.js';
import type { PopulationStats } from '../../src/prepare/failure.js';
import type { ExampleOutcome } from '../../src/store/example-outcomes.js';
import type { FailureView, RunData } from '../../src/store/run-data.js';

export interface NodeSpec {
  id: string;
  name: string;
  children?: NodeSpec[];
}

export interface FailureSpec {
  model: string;
  dataset?: string;
  exampleId: string;
  /** Node ids, top-level first; empty = not placed. */
  path: string[];
  metadata?: Record<string, string>;
  hasError?: boolean;
  errorTitle?: string;
  /** No analysis at all (the judge call failed). */
  unanalysed?: boolean;
  correctAnswer?: string;
  outputText?: string;
}

export interface TestRunSpec {
  taxonomy: NodeSpec[];
  failures: FailureSpec[];
  /** Predictions per (dataset, model); default 100. */
  predictions?: Record<string, number>;
  /** Override population failures per stratum key `${dataset}/${model}` (default: failures listed). */
  totalFailures?: Record<string, number>;
  /** Unanalysable failures per stratum key, added on top of the analysable ones above (default 0). */
  unanalysable?: Record<string, number>;
  dir?: string;
}

/** Reasoning, split into Arithmetic and Logic: the category the chart tests plant most failures under. */
export const REASONING_NODE: NodeSpec = {
  id: 'reason',
  name: 'Reasoning',
  children: [
    { id: 'arith', name: 'Arithmetic' },
    { id: 'logic', name: 'Logic' },
  ],
};

/** Reasoning (Arithmetic, Logic) and Answer format: the taxonomy of the model-comparison tests. */
export const REASONING_AND_FORMAT_TAXONOMY: NodeSpec[] = [REASONING_NODE, { id: 'format', name: 'Answer format' }];

/** Example ids e0, e1, … e(n-1). */
export function exampleIds(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `e${i}`);
}

function buildNode(spec: NodeSpec, depth: number, leafFailures: Map<string, string[]>): TaxonomyNode {
  const children = (spec.children ?? []).map((c) => buildNode(c, depth + 1, leafFailures));
  const own = leafFailures.get(spec.id) ?? [];
  const count = children.length > 0 ? children.reduce((s, c) => s + c.count, 0) : own.length;
  const node: TaxonomyNode = { id: spec.id, name: spec.name, description: `${spec.name} errors`, depth, count, share: 0, children };
  if (children.length === 0) node.failureIds = own;
  for (const c of children) c.share = count > 0 ? c.count / count : 0;
  return node;
}

export function failureIdOf(f: Pick<FailureSpec, 'model' | 'exampleId'> & { dataset?: string }): string {
  return `${f.dataset ?? 'bench'}/${f.exampleId}/${f.model}`;
}

export function buildTestRun(spec: TestRunSpec): RunData {
  const leafFailures = new Map<string, string[]>();
  const failures: FailureView[] = spec.failures.map((s) => {
    const dataset = s.dataset ?? 'bench';
    const id = failureIdOf(s);
    if (s.path.length > 0) {
      const leaf = s.path[s.path.length - 1];
      leafFailures.set(leaf, [...(leafFailures.get(leaf) ?? []), id]);
    }
    const analysis: Analysis | undefined = s.unanalysed
      ? undefined
      : {
          failureId: id,
          source: 'judge',
          judge: 'scripted:judge',
          criteria: [{ criterion: 'answers the question', present: true, quality: 'incorrect', evidence: '', comment: '' }],
          hasError: s.hasError ?? true,
          errorTitle: s.errorTitle ?? `error of ${id}`,
          errorSummary: `summary of ${id}`,
        };
    return {
      id,
      dataset,
      exampleId: s.exampleId,
      model: s.model,
      inputText: `question ${s.exampleId}`,
      outputText: s.outputText ?? `answer of ${s.model}`,
      score: 0,
      threshold: 0.5,
      correctAnswer: s.correctAnswer ?? `reference ${s.exampleId}`,
      metadata: s.metadata ?? {},
      source: { file: 'test.csv', line: 2 },
      analysis,
      analysisError: s.unanalysed ? 'judge call failed' : undefined,
      findings: [],
      path: s.unanalysed ? [] : s.path,
    };
  });
  const strata = new Map<string, { dataset: string; model: string; failures: number }>();
  for (const f of failures) {
    const key = stratumKey(f.dataset, f.model);
    const entry = strata.get(key) ?? { dataset: f.dataset, model: f.model, failures: 0 };
    entry.failures++;
    strata.set(key, entry);
  }
  for (const key of Object.keys({ ...spec.predictions, ...spec.unanalysable })) {
    const [dataset, model] = key.split('/');
    if (!strata.has(stratumKey(dataset, model))) strata.set(stratumKey(dataset, model), { dataset, model, failures: 0 });
  }
  const population: PopulationStats[] = [...strata.values()].map((s) => {
    const label = `${s.dataset}/${s.model}`;
    const unanalysable = spec.unanalysable?.[label] ?? 0;
    const total = (spec.totalFailures?.[label] ?? s.failures) + unanalysable;
    return {
      dataset: s.dataset,
      model: s.model,
      predictions: spec.predictions?.[label] ?? 100,
      failures: total,
      sampled: s.failures,
      threshold: 0.5,
      unanalysable,
      unscored: 0,
    };
  });
  const taxonomy = buildNode({ id: 'root', name: 'LLM Errors', children: spec.taxonomy }, 0, leafFailures);
  taxonomy.share = 1;
  const record: RunRecord = {
    formatVersion: 1,
    status: 'finished',
    tool: { name: 'errormap', version: 'test' },
    startedAt: '2025-01-01T00:00:00.000Z',
    settings: {},
    judge: 'scripted:judge',
    offline: false,
    inputs: [],
    counts: {
      predictions: 0,
      failures: failures.length,
      sampled: failures.length,
      analysed: failures.length,
      noError: 0,
      analysisFailed: 0,
      categories: 0,
    },
    usage: {},
    promptVersions: {},
  };
  return { dir: spec.dir ?? '/tmp/test-run', record, taxonomy, failures, population };
}

/**
 * Outcomes of every prediction: the listed failures fail, and every other example id in `examples`
 * succeeds for each model of `models` on `dataset`.
 */
export function buildOutcomes(run: RunData, models: string[], examples: string[], dataset = 'bench'): ExampleOutcome[] {
  const failed = new Set(run.failures.map((f) => stratumKey(`${f.dataset}/${f.exampleId}`, f.model)));
  const out: ExampleOutcome[] = [];
  for (const exampleId of examples)
    for (const model of models) out.push({ dataset, exampleId, model, failed: failed.has(stratumKey(`${dataset}/${exampleId}`, model)) });
  return out;
}
