import { afterEach, describe, expect, it } from 'vitest';
import { buildTestRun, type FailureSpec, REASONING_NODE } from '../../test/support/chart-run.js';
import { type JudgeServer, startJudgeServer } from '../../test/support/judge-server.js';
import { scriptedTaxonomyAnswer } from '../../test/support/scripted-taxonomy-answers.js';
import { scriptedCategoryMatch } from '../../test/support/scripted-validation-answers.js';
import { createEmbedder } from '../judge/create-embedder.js';
import { loadPromptSet } from '../prompts/prompt-set.js';
import { createScriptedJudge } from '../testing/scripted-judge.js';
import { cosineSimilarity, labelSimilarity, meanWithInterval } from './label-similarity.js';
import { rebuildSample, rebuildTaxonomy } from './rebuild.js';
import { matchCategoriesSemantically } from './semantic-match.js';

const first = buildTestRun({
  taxonomy: [
    REASONING_NODE,
    { id: 'know', name: 'Knowledge', children: [{ id: 'fact', name: 'Wrong fact' }] },
    { id: 'other', name: 'Other' },
  ],
  failures: [],
}).taxonomy;
const second = buildTestRun({
  taxonomy: [
    { id: 'r2', name: 'reasoning', children: [{ id: 'a2', name: 'ARITHMETIC' }] },
    { id: 'f2', name: 'Format' },
    { id: 'o2', name: 'Other' },
  ],
  failures: [],
}).taxonomy;
const matcher = () => createScriptedJudge((r) => scriptedCategoryMatch(r.user));

describe('semantic category matching', () => {
  it('asks the judge about every top-level pair and the children of matched pairs only, leaving Other out', async () => {
    const judge = matcher();
    const m = await matchCategoriesSemantically(first, second, judge, loadPromptSet(undefined, ['category_match']));
    // depth 1: {Reasoning, Knowledge} × {reasoning, Format}; depth 2: {Arithmetic, Logic} × {ARITHMETIC}
    expect(m.asked).toBe(6);
    expect(judge.requests).toHaveLength(6);
    expect(judge.requests.every((r) => r.task === 'category_match')).toBe(true);
    expect(m.pairs.map((p) => [p.firstName, p.secondName, p.depth])).toEqual([
      ['Reasoning', 'reasoning', 1],
      ['Arithmetic', 'ARITHMETIC', 2],
    ]);
    // precision: 2 of the second's 3 categories; recall: 2 of the first's 5
    expect(m.precision).toMatchObject({ hits: 2, n: 3 });
    expect(m.recall).toMatchObject({ hits: 2, n: 5 });
    expect(m.byDepth.map((d) => [d.depth, d.precision.hits, d.precision.n, d.recall.hits, d.recall.n])).toEqual([
      [1, 1, 2, 1, 2],
      [2, 1, 1, 1, 3],
    ]);
    expect(judge.requests[0].user).toContain('Name: Reasoning');
  });

  it('counts a failed call as "not equivalent" and says how many failed', async () => {
    const judge = createScriptedJudge((r) => (r.user.includes('Name: Format') ? { broken: true } : scriptedCategoryMatch(r.user)));
    const m = await matchCategoriesSemantically(first, second, judge, loadPromptSet(undefined, ['category_match']));
    expect(m.failedCalls).toBe(2);
    expect(m.pairs).toHaveLength(2);
  });
});

describe('label similarity', () => {
  let server: JudgeServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('is the mean cosine of the matched names embedded by the scripted server: (3/√10 + 0) / 2', async () => {
    server = await startJudgeServer({ respond: () => ({ status: 500 }) });
    const embedder = createEmbedder({ spec: 'openai-compatible:letters', baseUrl: server.baseUrl, env: {} });
    const pairs = [
      { firstId: '1', secondId: '2', firstName: 'ab', secondName: 'abb', depth: 1 },
      { firstId: '3', secondId: '4', firstName: 'a', secondName: 'b', depth: 1 },
    ];
    const s = await labelSimilarity(pairs, embedder, 42);
    expect(s.pairs.map((p) => p.cosine)).toEqual([expect.closeTo(3 / Math.sqrt(10), 12), 0]);
    expect(s.mean).toBeCloseTo(3 / Math.sqrt(10) / 2, 12);
    expect(s.n).toBe(2);
    expect(s.embedder).toBe('openai-compatible:letters');
    // each distinct name embedded once, in one request
    expect(server.requests.filter((r) => r.task === 'embeddings')).toHaveLength(1);
    expect(server.requests[0].body.input).toEqual(['ab', 'abb', 'a', 'b']);
  });

  it('has a seeded bootstrap interval around the mean', () => {
    expect(cosineSimilarity([1, 0], [1, 0])).toBe(1);
    expect(cosineSimilarity([1, 0], [0, 0])).toBe(0);
    const values = [0.2, 0.4, 0.6, 0.8, 1];
    const a = meanWithInterval(values, 7);
    expect(a.mean).toBeCloseTo(0.6, 12);
    expect(a.ciLow).toBeLessThan(0.6);
    expect(a.ciHigh).toBeGreaterThan(0.6);
    expect(a.ciLow).toBeGreaterThanOrEqual(0.2);
    expect(meanWithInterval(values, 7)).toEqual(a);
  });
});

describe('rebuild', () => {
  const KINDS = ['calculation', 'counting', 'factual', 'format'];
  const failures: FailureSpec[] = KINDS.flatMap((kind) =>
    Array.from({ length: 25 }, (_, i) => ({ model: 'A', exampleId: `${kind}${i}`, path: [], errorTitle: `${kind} slip ${i}` })),
  );
  const run = buildTestRun({ taxonomy: [], failures: [...failures, { model: 'A', exampleId: 'ok', path: [], hasError: false }] });

  it('draws a seeded 10% of the analysed errors, never a no-error analysis', () => {
    const sample = rebuildSample(run, 0.1, 42);
    expect(sample).toHaveLength(10);
    expect(sample.every((t) => t.errorTitle.includes('slip'))).toBe(true);
    expect(rebuildSample(run, 0.1, 42)).toEqual(sample);
    expect(rebuildSample(run, 0.1, 7).map((t) => t.failureId)).not.toEqual(sample.map((t) => t.failureId));
  });

  it('builds a second taxonomy from the sample whose categories the first one holds', async () => {
    const judge = createScriptedJudge(scriptedTaxonomyAnswer);
    const rebuilt = await rebuildTaxonomy(run, { ratio: 0.1, seed: 42, maxDepth: 1 }, judge);
    expect(rebuilt).toMatchObject({ sampled: 10, of: 100, warnings: [] });
    expect(rebuilt.root.count).toBe(10);
    const names = rebuilt.root.children.map((c) => c.name);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names)
      expect(['Computation Error', 'Counting Error', 'Factual Error', 'Instruction Violation', 'Other']).toContain(name);
  });
});
