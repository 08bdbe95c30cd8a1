/**
 * Writes a synthetic but realistic run directory (errormap.db through RunStore, run.json, taxonomy.json)
 * with signatures.json as `errormap run` writes it, for viewer tests and benchmarks at sizes the example data cannot reach.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { computeSignatures, DEFAULT_GROUPINGS } from '../../src/chart/signatures.js';
import type { Analysis } from '../../src/contracts/analysis.js';
import type { RunRecord } from '../../src/contracts/run-record.js';
import type { TaxonomyNode } from '../../src/contracts/taxonomy-node.js';
import type { Finding } from '../../src/detect/finding.js';
import type { Prediction } from '../../src/ingest/prediction.js';
import { asFailure, type Failure, type PopulationStats } from '../../src/prepare/failure.js';
import { writeSignatureFiles } from '../../src/report/signature-files.js';
import { loadRunData } from '../../src/store/run-data.js';
import { runFile } from '../../src/store/run-dir.js';
import type { Assignment } from '../../src/store/run-store.js';
import { RunStore } from '../../src/store/run-store.js';

export interface SampleText {
  input: string;
  output: string;
  reference?: string;
}

export interface MakeRunOptions {
  failures: number;
  models?: string[];
  datasets?: string[];
  seed?: number;
  /** Real texts to draw from (cycled); synthetic texts otherwise. */
  texts?: SampleText[];
  /** Put script, event-handler and javascript: payloads into texts, titles, a model's output and a category. */
  hostile?: boolean;
  /** Write signatures.json / signatures.csv as `errormap run` does at its end (default true). */
  signatures?: boolean;
  /** Each model's weights over the top-level categories (default: drawn at random per model, so signatures differ). */
  leaning?: (model: string, categories: number) => number[];
  /** The models run on each dataset (default: every model on every dataset); a failure of another pair is not made. */
  datasetModels?: Record<string, string[]>;
}

export interface MadeRun {
  dir: string;
  failureIds: string[];
  taxonomy: TaxonomyNode;
}

export const HOSTILE = {
  script: '<script>window.__pwned = 1; alert("script")</script>',
  img: '<img src=x onerror="window.__pwned = 2; alert(\'img\')">',
  link: '<a href="javascript:window.__pwned=3">click me</a> [also](javascript:alert(1))',
  closeTag: '</script><script>window.__pwned = 4</script>',
};

const TAXONOMY: [string, string, [string, string, string[]?][]][] = [
  [
    'Reasoning errors',
    'The chain of reasoning breaks: invalid steps, wrong decomposition or unsupported assumptions.',
    [
      [
        'Invalid logical step',
        'A conclusion that does not follow from the previous steps.',
        ['Reversed implication', 'Overgeneralisation'],
      ],
      ['Wrong problem decomposition', 'The problem is split into the wrong sub-problems, so a required part is never solved.'],
      ['Unjustified assumption', 'The answer relies on a premise not given in the question.'],
    ],
  ],
  [
    'Computation errors',
    'Correct method, wrong numbers: slips in arithmetic, algebra or units.',
    [
      ['Arithmetic slip', 'A basic operation is computed incorrectly.'],
      ['Unit or scale error', 'Wrong unit conversion, or a result off by a power of ten.'],
      ['Algebraic manipulation error', 'A sign, term or factor is lost while rearranging an expression.'],
    ],
  ],
  [
    'Knowledge gaps',
    'Missing or wrong domain knowledge.',
    [
      ['Factual recall error', 'A fact, date, constant or definition is stated wrongly.'],
      ['Misapplied concept', 'The right concept is named but applied where it does not hold.', ['Wrong formula', 'Confused similar terms']],
    ],
  ],
  [
    'Instruction following',
    'The answer ignores what the prompt asked for.',
    [
      ['Ignored answer format', 'The final answer is not given in the requested form.'],
      ['Ignored constraint', 'A length, style or content constraint of the instruction is not respected.'],
      ['Answered a different question', 'The response addresses a related but different task.'],
    ],
  ],
  [
    'Incomplete answers',
    'The response stops before a usable answer.',
    [
      ['Truncated output', 'Generation ends mid-sentence or mid-derivation.'],
      ['Missing final answer', 'The reasoning is present but no final answer is stated.'],
    ],
  ],
  [
    'Multiple-choice selection',
    'Errors specific to choosing among given options.',
    [
      ['Picked a distractor', 'A plausible but wrong option is chosen.'],
      ['Letter does not match reasoning', 'The reasoning supports one option but another letter is given.'],
    ],
  ],
];

/** Small seeded PRNG (mulberry32) so runs are reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const shortHash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 12);

function buildTree(hostile: boolean): TaxonomyNode {
  const node = (name: string, description: string, depth: number, parentId: string): TaxonomyNode => ({
    id: `n${shortHash(`${parentId}/${name}`).slice(0, 8)}`,
    name,
    description,
    depth,
    count: 0,
    share: 0,
    children: [],
  });
  const root = node('LLM Errors', 'All analysed failures.', 0, '');
  for (const [name, description, subs] of TAXONOMY) {
    const top = node(name, description, 1, root.id);
    for (const [subName, subDescription, leaves] of subs) {
      const sub = node(subName, subDescription, 2, top.id);
      for (const leaf of leaves ?? []) sub.children.push(node(leaf, `${subDescription} Specifically: ${leaf.toLowerCase()}.`, 3, sub.id));
      top.children.push(sub);
    }
    root.children.push(top);
  }
  if (hostile) {
    const last = root.children[root.children.length - 1];
    last.children.push(node(`Markup ${HOSTILE.img}`, `Description with ${HOSTILE.script} and ${HOSTILE.link}`, 2, last.id));
  }
  return root;
}

function leavesOf(n: TaxonomyNode): TaxonomyNode[] {
  return n.children.length === 0 ? [n] : n.children.flatMap(leavesOf);
}

function pathTo(root: TaxonomyNode, leafId: string): string[] {
  const walk = (n: TaxonomyNode, trail: string[]): string[] | undefined => {
    if (n.id === leafId) return trail;
    for (const c of n.children) {
      const found = walk(c, [...trail, c.id]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(root, []) ?? [];
}

function finishCounts(n: TaxonomyNode, byLeaf: Map<string, string[]>, parentCount: number): void {
  if (n.children.length === 0) {
    n.failureIds = byLeaf.get(n.id) ?? [];
    n.count = n.failureIds.length;
  } else {
    n.count = 0;
    for (const c of n.children) {
      finishCounts(c, byLeaf, 0);
      n.count += c.count;
    }
  }
  for (const c of n.children) c.share = n.count > 0 ? c.count / n.count : 0;
  if (n.depth === 0) n.share = 1;
  void parentCount;
}

function syntheticText(dataset: string, example: number): SampleText {
  return {
    input: `[${dataset}] Question ${example}: A train leaves the station at ${8 + (example % 5)}:00 travelling at ${40 + (example % 7) * 5} km/h. How far has it travelled after ${1 + (example % 4)} hours and ${example % 60} minutes? Give the answer in kilometres.`,
    output: `Let's think step by step. The speed is ${40 + (example % 7) * 5} km/h. Time is ${1 + (example % 4)} hours. Distance = speed × time = ${(40 + (example % 7) * 5) * (1 + (example % 4))} km. The answer is ${(40 + (example % 7) * 5) * (1 + (example % 4))}.`,
    reference: String(((40 + (example % 7) * 5) * (1 + (example % 4) + (example % 60) / 60)).toFixed(1)),
  };
}

export function makeRunDir(dir: string, options: MakeRunOptions): MadeRun {
  const models = options.models ?? ['gpt-4o-mini', 'llama-3.1-70b', 'mistral-7b', 'qwen2.5-72b'];
  const datasets = options.datasets ?? ['mmlu_pro', 'theoremqa', 'alpaca_eval'];
  const random = rng(options.seed ?? 7);
  const tree = buildTree(options.hostile === true);
  // Each model gets its own leaning over top-level categories, so signatures differ visibly.
  const drawn = models.map((m) => [m, tree.children.map(() => 0.3 + random() * random() * 3)] as const);
  const leaning = new Map(options.leaning ? models.map((m) => [m, options.leaning?.(m, tree.children.length) ?? []]) : drawn);
  const runsOn = (dataset: string, model: string) => options.datasetModels?.[dataset]?.includes(model) ?? true;
  const failureRate = new Map(models.map((m) => [m, 0.15 + random() * 0.45]));

  mkdirSync(dir, { recursive: true });
  const store = RunStore.open(dir);
  const predictions: Prediction[] = [];
  const correct: Prediction[] = [];
  const failures: Failure[] = [];
  const assignments: Assignment[] = [];
  const byLeaf = new Map<string, string[]>();
  const analyses: Analysis[] = [];
  const analysisFailures: { failureId: string; reason: string }[] = [];
  const findings = new Map<string, Finding[]>();

  for (let i = 0; i < options.failures; i++) {
    const model = models[i % models.length];
    const j = Math.floor(i / models.length);
    const dataset = datasets[j % datasets.length];
    const example = Math.floor(j / datasets.length);
    if (!runsOn(dataset, model)) continue;
    const text = options.texts?.length
      ? options.texts[(j * 7 + (i % models.length)) % options.texts.length]
      : syntheticText(dataset, example);
    const hostileHere = options.hostile === true && i < 8;
    // Every model fails one example in three (suspected noise); the others each model fails alone, and the
    // other models answer them correctly (added below).
    const shared = example % 3 === 0;
    const exampleId = shared ? `${dataset}_${example}` : `${dataset}_${example}-${i % models.length}`;
    if (!shared)
      for (const other of models)
        if (other !== model && runsOn(dataset, other))
          correct.push({
            dataset,
            exampleId,
            model: other,
            inputText: text.input,
            outputText: `${text.output.slice(0, 80)} … The answer is ${text.reference ?? 'correct'}.`,
            score: 2,
            correctAnswer: text.reference,
            metadata: {},
            source: { file: `${dataset}.csv`, line: 1_000_000 + correct.length },
          });
    const prediction: Prediction = {
      dataset,
      exampleId,
      model,
      inputText: text.input,
      outputText: hostileHere ? `${text.output}\n${Object.values(HOSTILE).join('\n')}` : text.output,
      score: dataset === 'alpaca_eval' ? Math.round(random() * 10) / 10 : 0,
      correctAnswer: text.reference,
      metadata: {
        subject: ['math', 'physics', 'law', 'economics', 'history'][example % 5],
        ...(hostileHere ? { note: HOSTILE.img } : {}),
      },
      source: { file: `${dataset}.csv`, line: 2 + i },
    };
    const id = shortHash(`${dataset}\u0000${prediction.exampleId}\u0000${model}`);
    predictions.push(prediction);
    failures.push(asFailure(prediction, id, dataset === 'alpaca_eval' ? 1.5 : 1));

    const roll = random();
    if (roll < 0.02) {
      analysisFailures.push({
        failureId: id,
        reason: 'judge answer failed the schema after 2 re-asks',
      });
      continue;
    }
    const weights = leaning.get(model) as number[];
    let pick = random() * weights.reduce((a, b) => a + b, 0);
    let top = 0;
    while (pick > weights[top] && top < weights.length - 1) pick -= weights[top++];
    const leaves = leavesOf(tree.children[top]);
    const leaf = leaves[Math.floor(random() * random() * leaves.length)];
    const hasError = roll > 0.05;
    const title = hostileHere ? `Title ${HOSTILE.script}` : `${leaf.name} in step ${1 + (i % 4)}`;
    analyses.push({
      failureId: id,
      source: 'judge',
      judge: 'openai:gpt-4.1-mini',
      hasError,
      errorTitle: hasError ? title : 'No error: the output is correct',
      errorSummary: hasError
        ? `${leaf.description} Here the model ${['miscomputed an intermediate value', 'skipped a required case', 'chose an option its own reasoning contradicts', 'stopped before stating the answer'][i % 4]}, so the final answer differs from the reference.${hostileHere ? ` ${HOSTILE.img}` : ''}`
        : 'The output matches the reference; the benchmark label looks wrong.',
      criteria: [
        {
          criterion: 'Identifies the quantities given in the question',
          present: true,
          quality: 'correct',
          evidence: text.output.slice(0, 60),
          comment: 'Restates the problem correctly.',
        },
        {
          criterion: 'Applies the right method',
          present: true,
          quality: i % 3 === 0 ? 'partially correct' : 'correct',
          evidence: '',
          comment: 'Method is appropriate.',
        },
        {
          criterion: 'Computes the final answer',
          present: i % 5 !== 0,
          quality: 'incorrect',
          evidence: hostileHere ? HOSTILE.link : text.output.slice(-60),
          comment: leaf.description,
        },
      ],
    });
    if (hasError) {
      const path = pathTo(tree, leaf.id);
      assignments.push({ failureId: id, leafId: leaf.id, path });
      const list = byLeaf.get(leaf.id) ?? [];
      list.push(id);
      byLeaf.set(leaf.id, list);
    }
    if (i % 5 === 0) {
      findings.set(id, [
        {
          detector: 'near_miss',
          family: 'Numeric slip',
          title: 'Numeric near miss',
          summary: 'The final number is within 5% of the reference.',
          evidence: hostileHere ? HOSTILE.script : `answer ${text.reference ?? '?'} vs output`,
          mechanical: false,
          confidence: 0.7,
          verified: false,
          precision: 'unverified: held-out precision 0.70 [0.40, 0.89] over 10 firings',
        },
      ]);
    }
  }
  finishCounts(tree, byLeaf, 0);

  const population: PopulationStats[] = [];
  for (const dataset of datasets)
    for (const model of models.filter((m) => runsOn(dataset, m))) {
      const n = failures.filter((f) => f.dataset === dataset && f.model === model).length;
      population.push({
        dataset,
        model,
        predictions: Math.max(n, Math.round(n / (failureRate.get(model) as number))),
        failures: n,
        sampled: n,
        threshold: dataset === 'alpaca_eval' ? 1.5 : 1,
        unanalysable: 0,
        unscored: 0,
      });
    }

  store.replacePredictions([...predictions, ...correct]);
  store.savePreparation(failures, population);
  store.replaceFindings(findings);
  store.db.transaction(() => {
    for (const a of analyses) store.putAnalysis(a);
    for (const f of analysisFailures) store.putAnalysisFailure(f);
  })();
  store.saveTaxonomy(tree, assignments);
  store.close();

  const totalPredictions = population.reduce((a, p) => a + p.predictions, 0);
  const usage = (calls: number, inTok: number, outTok: number, price: number) => ({
    calls,
    retries: Math.round(calls * 0.02),
    cachedCalls: Math.round(calls * 0.1),
    failedCalls: Math.round(calls * 0.01),
    inputTokens: calls * inTok,
    outputTokens: calls * outTok,
    costUsd: calls * price,
  });
  const record: RunRecord = {
    formatVersion: 1,
    status: 'finished',
    tool: { name: 'errormap', version: '0.1.0' },
    startedAt: '2025-11-20T09:12:03.000Z',
    finishedAt: '2025-11-20T09:58:41.000Z',
    settings: {
      judge: 'openai:gpt-4.1-mini',
      seed: options.seed ?? 7,
      samplePerModel: 'all',
      concurrency: 8,
      thresholds: { mmlu_pro: 1, theoremqa: 1, alpaca_eval: 1.5 },
    },
    judge: 'openai:gpt-4.1-mini',
    offline: false,
    inputs: datasets.map((d) => ({
      path: `data/${d}.csv`,
      format: 'csv',
      sha256: shortHash(d).repeat(5).slice(0, 64),
      rows: population.filter((p) => p.dataset === d).reduce((a, p) => a + p.predictions, 0),
    })),
    counts: {
      predictions: totalPredictions,
      failures: failures.length,
      sampled: failures.length,
      analysed: analyses.length,
      noError: analyses.filter((a) => !a.hasError).length,
      analysisFailed: analysisFailures.length,
      categories: leavesOf(tree).length,
    },
    usage: {
      error_analysis: usage(analyses.length, 1400, 380, 0.0011),
      taxonomy_generation: usage(4, 9000, 1500, 0.006),
      error_classification: usage(assignments.length, 900, 40, 0.0004),
    },
    promptVersions: {
      error_analysis: 'v1',
      taxonomy_generation: 'v1',
      error_classification: 'v1',
    },
    taxonomyRatings: [
      {
        nodeId: tree.id,
        path: [],
        ratings: [
          {
            task: 'taxonomy_review',
            rating: 78,
            explanation: 'The categories cover the titles; two overlap.',
            suggestions: 'Merge the two overlapping categories.',
          },
        ],
      },
    ],
  };
  writeFileSync(runFile(dir, 'record'), `${JSON.stringify(record, null, 2)}\n`);
  writeFileSync(runFile(dir, 'taxonomy'), `${JSON.stringify(tree)}\n`);
  if (options.signatures !== false) writeSignatureFiles(dir, computeSignatures(loadRunData(dir), { groupings: DEFAULT_GROUPINGS }));
  return { dir, failureIds: failures.map((f) => f.id), taxonomy: tree };
}
