import type { DatasetProfile } from '../../src/chart/profiles.js';
import type {
  CompareResult,
  ComparisonView,
  EncodedFailure,
  ExampleView,
  FailureDetail,
  FailurePage,
  FailureQuery,
  FailureRow,
  NoiseView,
  Overview,
  ReportPayload,
} from '../../src/report/view-data.js';
import {
  comparisonKey,
  failureFilter,
  leafOrder,
  matchesFilter,
  mirrorComparison,
  PAGE_SIZE,
  QUALITY_CODES,
  STATUS_CODES,
} from '../../src/report/view-data.js';

/** Where the app's data comes from: injected into the page (report) or the local server's API (view). */
export interface DataSource {
  overview(): Promise<Overview>;
  failures(query: FailureQuery): Promise<FailurePage>;
  failure(id: string): Promise<FailureDetail | undefined>;
  /** Benchmark profiles, one per dataset. */
  profiles(): Promise<DatasetProfile[]>;
  /** Suspected benchmark noise (bounded lists). */
  noise(): Promise<NoiseView>;
  /** Every model's output on one example; undefined when the run has no such example. */
  example(dataset: string, exampleId: string): Promise<ExampleView | undefined>;
  /** Two models compared category by category at a depth of the taxonomy. */
  compare(modelA: string, modelB: string, depth: number): Promise<CompareResult>;
}

/** Reads the injected payload; null means "served": ask the API. */
export function detectSource(): DataSource {
  const raw = document.getElementById('errormap-data')?.textContent ?? 'null';
  let payload: ReportPayload | null = null;
  try {
    payload = JSON.parse(raw) as ReportPayload | null;
  } catch {
    payload = null; // the unfilled template: behave as served
  }
  return payload ? new ReportSource(payload) : new ApiSource();
}

class ApiSource implements DataSource {
  private async get<T>(path: string): Promise<T> {
    const response = await fetch(path, {
      headers: { accept: 'application/json' },
    });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return (await response.json()) as T;
  }
  overview(): Promise<Overview> {
    return this.get<Overview>('api/overview');
  }
  failures(query: FailureQuery): Promise<FailurePage> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
    return this.get<FailurePage>(`api/failures?${params}`);
  }
  async failure(id: string): Promise<FailureDetail | undefined> {
    const response = await fetch(`api/failures/${encodeURIComponent(id)}`);
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`failure ${id}: HTTP ${response.status}`);
    return (await response.json()) as FailureDetail;
  }
  profiles(): Promise<DatasetProfile[]> {
    return this.get<DatasetProfile[]>('api/profiles');
  }
  noise(): Promise<NoiseView> {
    return this.get<NoiseView>('api/noise');
  }
  async example(dataset: string, exampleId: string): Promise<ExampleView | undefined> {
    const response = await fetch(`api/example?${new URLSearchParams({ dataset, example: exampleId })}`);
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`example ${exampleId}: HTTP ${response.status}`);
    return (await response.json()) as ExampleView;
  }
  compare(modelA: string, modelB: string, depth: number): Promise<CompareResult> {
    return this.get<CompareResult>(`api/compare?${new URLSearchParams({ a: modelA, b: modelB, depth: String(depth) })}`);
  }
}

export class ReportSource implements DataSource {
  private readonly rows: FailureRow[];
  /** Failure indices in list order (largest category first, then model, then sample order). */
  private readonly order: number[];
  private readonly byId = new Map<string, number>();
  private readonly examples = new Map<string, number>();

  constructor(private readonly payload: ReportPayload) {
    const { summary } = payload.overview;
    const s = payload.strings;
    for (const [i, e] of payload.examples.entries()) this.examples.set(`${e[0]}\u0000${s[e[1]]}`, i);
    this.rows = payload.failures.map((f, i) => {
      this.byId.set(s[f[0]], i);
      return {
        id: s[f[0]],
        exampleId: s[f[1]],
        dataset: summary.datasets[f[2]],
        model: summary.models[f[3]],
        score: f[4],
        threshold: f[5],
        leaf: f[6] >= 0 ? s[f[6]] : '',
        status: STATUS_CODES[f[7]],
        title: s[f[8]],
      };
    });
    const rank = new Map(leafOrder(payload.overview.taxonomy).map((id, i) => [id, i]));
    const rankOf = (row: FailureRow) => rank.get(row.leaf) ?? Number.MAX_SAFE_INTEGER;
    const rows = this.rows;
    this.order = rows
      .map((_, i) => i)
      .sort(
        (i, j) => rankOf(rows[i]) - rankOf(rows[j]) || (rows[i].model < rows[j].model ? -1 : rows[i].model > rows[j].model ? 1 : i - j),
      );
  }

  async overview(): Promise<Overview> {
    return this.payload.overview;
  }

  async failures(query: FailureQuery): Promise<FailurePage> {
    const filter = failureFilter(query, this.payload.overview.taxonomy);
    const s = this.payload.strings;
    const matched: FailureRow[] = [];
    for (const i of this.order) {
      const row = this.rows[i];
      const f = this.payload.failures[i];
      const haystack = () => [row.title, row.exampleId, s[f[9]], s[f[10]], s[f[11]]].join('\n');
      if (matchesFilter(row, haystack, filter)) matched.push(row);
    }
    const offset = Math.max(0, query.offset ?? 0);
    return {
      total: matched.length,
      offset,
      rows: matched.slice(offset, offset + (query.limit ?? PAGE_SIZE)),
    };
  }

  async failure(id: string): Promise<FailureDetail | undefined> {
    const i = this.byId.get(id);
    if (i === undefined) return undefined;
    return decodeDetail(this.rows[i], this.payload.failures[i], this.payload);
  }

  async profiles(): Promise<DatasetProfile[]> {
    return this.payload.profiles;
  }

  async noise(): Promise<NoiseView> {
    return this.payload.noise;
  }

  async example(dataset: string, exampleId: string): Promise<ExampleView | undefined> {
    const { summary } = this.payload.overview;
    const i = this.examples.get(`${summary.datasets.indexOf(dataset)}\u0000${exampleId}`);
    return i === undefined ? undefined : decodeExample(this.payload, i, (id) => this.byId.get(id), this.rows);
  }

  async compare(modelA: string, modelB: string, depth: number): Promise<CompareResult> {
    const found: ComparisonView | string | undefined = this.payload.comparisons[comparisonKey(modelA, modelB, depth)];
    if (modelA === modelB) return { error: `give two different models, not ${modelA} twice` };
    if (found === undefined) return { error: `models ${modelA} and ${modelB} share no dataset` };
    if (typeof found === 'string') return { error: found };
    return { comparison: found.modelA === modelA ? found : mirrorComparison(found) };
  }
}

function decodeExample(
  payload: ReportPayload,
  i: number,
  failureIndex: (id: string) => number | undefined,
  rows: readonly FailureRow[],
): ExampleView {
  const s = payload.strings;
  const { summary } = payload.overview;
  const [dataset, exampleId, input, reference, threshold, outputs] = payload.examples[i];
  const truncated: NonNullable<ExampleView['truncated']> = {};
  if (payload.cut[input] !== undefined) truncated.inputText = payload.cut[input];
  if (reference >= 0 && payload.cut[reference] !== undefined) truncated.correctAnswer = payload.cut[reference];
  return {
    dataset: summary.datasets[dataset],
    exampleId: s[exampleId],
    inputText: s[input],
    ...(reference >= 0 ? { correctAnswer: s[reference] } : {}),
    ...(Object.keys(truncated).length > 0 ? { truncated } : {}),
    threshold,
    outputs: outputs.map(([model, score, output, failed, shown, start, end, failureId]) => {
      const row = failureId >= 0 ? rows[failureIndex(s[failureId]) ?? -1] : undefined;
      return {
        model: summary.models[model],
        ...(score !== null ? { score } : {}),
        failed: failed === 1,
        outputText: s[output],
        ...(payload.cut[output] !== undefined ? { cut: payload.cut[output] } : {}),
        ...(start >= 0 ? { answer: [start, end] as [number, number] } : {}),
        shownToJudge: shown === 1,
        ...(row ? { failure: { id: row.id, status: row.status, title: row.title, leaf: row.leaf } } : {}),
      };
    }),
  };
}

function decodeDetail(row: FailureRow, f: EncodedFailure, payload: ReportPayload): FailureDetail {
  const s = payload.strings;
  const opt = (i: number) => (i >= 0 ? s[i] : undefined);
  const truncated: Record<string, number> = {};
  const fields: [string, number][] = [
    ['inputText', f[10]],
    ['outputText', f[11]],
    ['correctAnswer', f[12]],
    ['summary', f[9]],
  ];
  for (const [name, i] of fields) if (i >= 0 && payload.cut[i] !== undefined) truncated[name] = payload.cut[i];
  return {
    ...row,
    summary: s[f[9]],
    inputText: s[f[10]],
    outputText: s[f[11]],
    correctAnswer: opt(f[12]),
    judge: opt(f[13]),
    source: opt(f[14]),
    analysisError: opt(f[15]),
    metadata: Object.fromEntries(f[16].map(([k, v]) => [s[k], s[v]])),
    criteria: f[17].map(([criterion, present, quality, evidence, comment]) => ({
      criterion: s[criterion],
      present: present === 1,
      quality: QUALITY_CODES[quality],
      evidence: s[evidence],
      comment: s[comment],
    })),
    findings: f[18].map(([detector, family, title, summary, evidence, precision]) => ({
      detector: s[detector],
      family: s[family],
      title: s[title],
      summary: s[summary],
      evidence: s[evidence],
      precision: precision === undefined ? '' : s[precision],
    })),
    path: f[19].map((i) => s[i]),
    truncated: Object.keys(truncated).length > 0 ? truncated : undefined,
  };
}
