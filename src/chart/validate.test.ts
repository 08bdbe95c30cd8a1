import { describe, expect, it } from 'vitest';
import { buildTestRun, type FailureSpec, REASONING_NODE } from '../../test/support/chart-run.js';
import { loadPromptSet } from '../prompts/prompt-set.js';
import { createScriptedJudge } from '../testing/scripted-judge.js';
import { runAnalysisCheck, runCategoryChoice } from './judge-checks.js';
import { wilsonInterval } from './proportions.js';
import { computeCoverage, computeStability, planAnalysisChecks, planCategoryChoices } from './validate.js';

const taxonomy = [
  REASONING_NODE,
  { id: 'know', name: 'Knowledge', children: [{ id: 'fact', name: 'Wrong fact' }] },
  { id: 'other', name: 'Other' },
];

const specs: FailureSpec[] = [
  ...Array.from({ length: 12 }, (_, i) => ({ model: 'A', exampleId: `a${i}`, path: ['reason', 'arith'] })),
  ...Array.from({ length: 6 }, (_, i) => ({ model: 'A', exampleId: `l${i}`, path: ['reason', 'logic'] })),
  ...Array.from({ length: 4 }, (_, i) => ({ model: 'A', exampleId: `f${i}`, path: ['know', 'fact'] })),
  ...Array.from({ length: 3 }, (_, i) => ({ model: 'A', exampleId: `o${i}`, path: ['other'] })),
  { model: 'A', exampleId: 'np', path: [] },
  { model: 'A', exampleId: 'ne', path: [], hasError: false },
  { model: 'A', exampleId: 'un', path: [], unanalysed: true },
];
const run = buildTestRun({ taxonomy, failures: specs });

describe('computeCoverage', () => {
  it('counts analysed failures in Other and unplaced ones as unexplained, leaving out unplaced no-error ones', () => {
    const c = computeCoverage(run);
    expect(c).toMatchObject({ analysed: 27, noErrorUnplaced: 1, placed: 25, hits: 22, n: 26 });
    expect(c.rate).toBeCloseTo(22 / 26, 12);
    expect(c.ciLow).toBeCloseTo(wilsonInterval(22, 26).low, 12);
    expect(c.unexplained).toEqual([
      { name: 'Other', count: 3 },
      { name: '(not placed)', count: 1 },
    ]);
  });
});

describe('category choice', () => {
  it('plans a seeded sample with an alternative at the same depth, independent of input order', () => {
    const plan = planCategoryChoices(run, 10, 42);
    expect(plan).toHaveLength(10);
    for (const item of plan) {
      expect(item.alternative.id).not.toBe(item.assigned.id);
      expect(item.alternative.depth).toBe(item.assigned.depth);
      expect(item.assigned.name).not.toBe('Other');
    }
    const reversed = planCategoryChoices({ ...run, failures: [...run.failures].reverse() }, 10, 42);
    expect(reversed.map((i) => [i.failure.id, i.alternative.id, i.assignedLetter])).toEqual(
      plan.map((i) => [i.failure.id, i.alternative.id, i.assignedLetter]),
    );
    expect(planCategoryChoices(run, 10, 7).map((i) => i.failure.id)).not.toEqual(plan.map((i) => i.failure.id));
  });

  it('scores the judge against the assigned category, whichever letter it is shown under', async () => {
    const prompt = loadPromptSet(undefined, ['category_choice']);
    const plan = planCategoryChoices(run, 22, 42);
    expect(new Set(plan.map((i) => i.assignedLetter))).toEqual(new Set(['A', 'B']));
    // a judge that knows the truth: picks the letter of the category the failure's id was filed under
    const truth = new Map(plan.map((i) => [i.failure.inputText, i.assigned.name]));
    const knowing = createScriptedJudge((req) => {
      const input = /<input>\n(.*)\n<\/input>/.exec(req.user)?.[1] ?? '';
      const a = /^A\. ([^(:]+?)(?: \(under [^)]*\))?:/m.exec(req.user)?.[1];
      return { reasoning: 'fits', choice: a === truth.get(input) ? 'A' : 'B' };
    });
    const good = await runCategoryChoice(knowing, prompt, plan);
    expect(good.acceptance).toMatchObject({ n: 22, hits: 22, rate: 1 });
    expect(knowing.requests[0].task).toBe('category_choice');

    const alwaysA = createScriptedJudge(() => ({ reasoning: 'first', choice: 'A' }));
    const biased = await runCategoryChoice(alwaysA, prompt, plan);
    expect(biased.acceptance.hits).toBe(plan.filter((i) => i.assignedLetter === 'A').length);
  });
});

describe('analysis check', () => {
  it('reports the acceptance rate over answered calls and counts failed calls apart', async () => {
    const prompt = loadPromptSet(undefined, ['analysis_check']);
    const sample = planAnalysisChecks(run, 10, 1);
    expect(sample).toHaveLength(10);
    let k = 0;
    const judge = createScriptedJudge(() => {
      k++;
      if (k === 1) return { nonsense: true }; // fails the schema: a failed call
      return { reasoning: 'checked', accurate: k % 3 !== 0 };
    });
    const result = await runAnalysisCheck(judge, prompt, sample);
    expect(result.failedCalls).toBe(1);
    expect(result.acceptance.n).toBe(9);
    const expectedHits = [2, 3, 4, 5, 6, 7, 8, 9, 10].filter((x) => x % 3 !== 0).length;
    expect(result.acceptance.hits).toBe(expectedHits);
    expect(judge.requests[0].user).toContain('Error title: error of');
  });
});

describe('computeStability', () => {
  it('is perfect for a run against itself', () => {
    const s = computeStability(run, run, 2);
    expect(s.categoryPrecision.rate).toBe(1);
    expect(s.categoryRecall.rate).toBe(1);
    expect(s.agreement.kappa).toBe(1);
    expect(s.agreement.n).toBe(25);
  });

  it('matches renamed ids by name and measures disagreement on shared failures', () => {
    // second run: Logic lost (merged into Arithmetic under a new id "calc" named "arithmetic"), Knowledge kept
    const second = buildTestRun({
      taxonomy: [
        { id: 'reason', name: 'Reasoning', children: [{ id: 'calc', name: 'arithmetic' }] },
        { id: 'know', name: 'Knowledge', children: [{ id: 'fact', name: 'Wrong fact' }] },
        { id: 'other', name: 'Other' },
      ],
      failures: specs.map((s) => ({ ...s, path: s.path[1] === 'logic' || s.path[1] === 'arith' ? ['reason', 'calc'] : s.path })),
    });
    const s = computeStability(run, second, 2);
    expect(s.matchedById).toBe(4);
    expect(s.matchedByName).toBe(1);
    expect(s.categoryPrecision.rate).toBe(1);
    expect(s.categoryRecall.rate).toBeCloseTo(5 / 6, 12);
    expect(s.agreement.observed).toBeCloseTo(19 / 25, 12);
    expect(s.agreement.kappa).toBeLessThan(1);
    expect(s.agreement.kappa).toBeGreaterThan(0);
    expect(computeStability(run, second, 1).agreement.kappa).toBe(1);
  });
});
