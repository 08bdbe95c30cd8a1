import { describe, expect, it } from 'vitest';
import { buildTestRun, type FailureSpec, REASONING_NODE } from '../../test/support/chart-run.js';
import { computeProfiles } from './profiles.js';

const taxonomy = [
  REASONING_NODE,
  {
    id: 'surface',
    name: 'Surface problems',
    children: [
      { id: 'fmt', name: 'Answer format' },
      { id: 'nua', name: 'No usable answer' },
    ],
  },
  { id: 'other', name: 'Other' },
];

function spec(dataset: string, path: string[], n: number, offset: number): FailureSpec[] {
  return Array.from({ length: n }, (_, i) => ({ model: 'A', dataset, exampleId: `e${offset + i}`, path }));
}

describe('computeProfiles', () => {
  const run = buildTestRun({
    taxonomy,
    failures: [
      ...spec('math', ['reason', 'arith'], 6, 0),
      ...spec('math', ['surface', 'fmt'], 3, 10),
      ...spec('math', ['other'], 1, 20),
      ...spec('chat', ['surface', 'nua'], 2, 30),
      ...spec('chat', ['reason', 'logic'], 2, 40),
    ],
    predictions: { 'math/A': 100, 'chat/A': 20 },
  });

  it('lists top categories by share and the share of failures not about the skill', () => {
    const [chat, math] = computeProfiles(run);
    expect(math.dataset).toBe('math');
    expect(math.topCategories.map((c) => [c.categoryPath.join(' > '), c.share])).toEqual([
      ['Reasoning', 0.6],
      ['Surface problems', 0.3],
      ['Other', 0.1],
    ]);
    // formatting (3) and Other (1) out of 10, matched at depth 2 even though the profile is at depth 1
    expect(math.offSkill.share).toBeCloseTo(0.4, 12);
    expect(math.offSkill.categories).toEqual(['Answer format', 'Other']);
    expect(math.failureRate).toBeCloseTo(0.1, 12);
    expect(chat.offSkill.share).toBeCloseTo(0.5, 12);
  });

  it('takes the off-skill set as a parameter', () => {
    const [, math] = computeProfiles(run, { offSkillPatterns: [/arithmetic/i], top: 1 });
    expect(math.offSkill.share).toBeCloseTo(0.6, 12);
    expect(math.topCategories).toHaveLength(1);
  });
});
