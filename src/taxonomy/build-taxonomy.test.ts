import { describe, expect, it } from 'vitest';
import { scriptedTaxonomyAnswer } from '../../test/support/scripted-taxonomy-answers.js';
import { OTHER_NAME, type TaxonomyNode } from '../contracts/taxonomy-node.js';
import { type Judge, JudgeCallError } from '../judge/judge.js';
import { createScriptedJudge, type RecordedRequest } from '../testing/scripted-judge.js';
import { buildTaxonomy, buildTreeFromPaths } from './build-taxonomy.js';
import { maxCategoriesFor } from './settings.js';
import type { TitledFailure } from './titles.js';

const KINDS = ['calculation', 'counting', 'factual', 'format', 'logic', 'missing'];

/** `perKind` distinct titles of each kind; title i of each kind is carried by (i % 3) + 1 failures. */
function failures(perKind: number, kinds = KINDS): TitledFailure[] {
  const out: TitledFailure[] = [];
  for (const kind of kinds) {
    for (let i = 0; i < perKind; i++) {
      for (let r = 0; r <= i % 3; r++) {
        out.push({ failureId: `${kind}-${i}-${r}`, errorTitle: `${kind} slip in part ${i} word${i % 4}`, errorSummary: 's' });
      }
    }
  }
  return out;
}

/** A category list as every list task may answer it (generation ignores the rating fields). */
const listAnswer = (categories: { name: string; description: string }[]) => ({
  rating: 60,
  explanation: 'e',
  suggestions: 's',
  categories,
});

const allNodes = (n: TaxonomyNode): TaxonomyNode[] => [n, ...n.children.flatMap(allNodes)];
const leaves = (n: TaxonomyNode) => allNodes(n).filter((x) => x.children.length === 0);
const isRootRequest = (r: RecordedRequest) => !r.user.includes('parent category "');

function expectConsistent(root: TaxonomyNode, input: TitledFailure[]) {
  const filed = leaves(root).flatMap((l) => l.failureIds ?? []);
  expect(filed.sort()).toEqual(input.map((f) => f.failureId).sort());
  for (const node of allNodes(root)) {
    if (node.children.length > 0) {
      expect(node.count).toBe(node.children.reduce((s, c) => s + c.count, 0));
      expect(node.children.reduce((s, c) => s + c.share, 0)).toBeCloseTo(1, 10);
    } else {
      expect(node.count).toBe(node.failureIds?.length);
    }
  }
}

describe('buildTaxonomy', () => {
  it('files every failure in exactly one leaf, with counts summing up and shares of 1', async () => {
    const input = failures(30);
    const judge = createScriptedJudge(scriptedTaxonomyAnswer);
    const { root, assignments, warnings } = await buildTaxonomy({ failures: input }, {}, { judge });
    expect(warnings).toEqual([]);
    expectConsistent(root, input);
    expect(root.count).toBe(input.length);
    expect(root.children.reduce((s, c) => s + c.share, 0)).toBeCloseTo(1, 10);
    expect(assignments).toHaveLength(input.length);
    const leafIds = new Set(leaves(root).map((l) => l.id));
    for (const a of assignments) {
      expect(leafIds.has(a.leafId)).toBe(true);
      expect(a.path[a.path.length - 1]).toBe(a.leafId);
    }
  });

  it('counts failures, not distinct titles', async () => {
    const input = Array.from({ length: 7 }, (_, i) => ({
      failureId: `f${i}`,
      errorTitle: i % 2 ? 'Calculation  slip' : 'calculation slip',
      errorSummary: '',
    }));
    const judge = createScriptedJudge(scriptedTaxonomyAnswer);
    const { root } = await buildTaxonomy({ failures: input }, {}, { judge });
    expect(root.children[0].name).toBe('Computation Error');
    expect(root.children[0].count).toBe(7);
    // the one distinct title was shown once, with its count, in its most frequent spelling
    expect(judge.requests[0].user).toContain('"calculation slip" ×7');
  });

  it('builds three category levels by default when the titles allow, as the reference does', async () => {
    const input = failures(30, ['calculation']);
    const { root } = await buildTaxonomy({ failures: input }, {}, { judge: createScriptedJudge(scriptedTaxonomyAnswer) });
    expect(Math.max(...allNodes(root).map((n) => n.depth))).toBe(3);
    const computation = root.children.find((c) => c.name === 'Computation Error')!;
    const word1 = computation.children.find((c) => c.name === 'Word1 Cases')!;
    // 8 titles, 17 failures: a budget of ceil(1.7) = 2 categories; the third kind goes to Other
    expect(word1.count).toBe(17);
    expect(word1.children.map((c) => c.name)).toEqual(['High Numbered Titles', 'Low Numbered Titles', OTHER_NAME]);
    expectConsistent(root, input);
  });

  it('recurses only below maxDepth and only into categories with more than 5 distinct titles', async () => {
    // calculation: 30 distinct titles (split); counting: 5 distinct titles (never split)
    const input = [...failures(30, ['calculation']), ...failures(5, ['counting'])];
    const deep = await buildTaxonomy({ failures: input }, { maxDepth: 2 }, { judge: createScriptedJudge(scriptedTaxonomyAnswer) });
    const computation = deep.root.children.find((c) => c.name === 'Computation Error');
    const counting = deep.root.children.find((c) => c.name === 'Counting Error');
    expect(computation?.children.length).toBeGreaterThan(1);
    expect(counting?.children).toEqual([]);
    expect(Math.max(...allNodes(deep.root).map((n) => n.depth))).toBe(2);

    const shallow = await buildTaxonomy({ failures: input }, { maxDepth: 1 }, { judge: createScriptedJudge(scriptedTaxonomyAnswer) });
    expect(Math.max(...allNodes(shallow.root).map((n) => n.depth))).toBe(1);
    expectConsistent(shallow.root, input);
  });

  it('sends 1,100 distinct titles as 1 generation + 2 updates + 1 review, and classifies them 50 at a time', async () => {
    const input = Array.from({ length: 1100 }, (_, i) => ({
      failureId: `f${i}`,
      errorTitle: `calculation slip number ${i}`,
      errorSummary: '',
    }));
    const judge = createScriptedJudge(scriptedTaxonomyAnswer);
    await buildTaxonomy({ failures: input }, { maxDepth: 1 }, { judge });
    const root = judge.requests.filter(isRootRequest);
    const tasks = (t: string) => root.filter((r) => r.task === t);
    expect(tasks('taxonomy_generation')).toHaveLength(1);
    expect(tasks('taxonomy_update')).toHaveLength(2);
    expect(tasks('taxonomy_review')).toHaveLength(1);
    expect(tasks('error_classification')).toHaveLength(22);
    const titlesIn = (r: RecordedRequest) => (/<error_titles>\n([\s\S]*?)\n<\/error_titles>/.exec(r.user)?.[1] ?? '').split('\n').length;
    expect(tasks('error_classification').map(titlesIn)).toEqual(Array(22).fill(50));
    expect(titlesIn(tasks('taxonomy_generation')[0])).toBe(500);
    expect(tasks('taxonomy_update').map(titlesIn)).toEqual([500, 100]);
  });

  it('keeps at most min(cap, ceil(0.1 × failures at the node)) categories, the first ones of the review', async () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ name: `Skill ${i}`, description: 'd' }));
    const judge = createScriptedJudge((r) => (r.task === 'error_classification' ? scriptedTaxonomyAnswer(r) : listAnswer(many)));
    const input = Array.from({ length: 200 }, (_, i) => ({ failureId: `f${i}`, errorTitle: `title ${i}`, errorSummary: '' }));
    await buildTaxonomy({ failures: input }, { maxDepth: 1, maxCategories: 8 }, { judge });
    const offered = judge.requests.find((r) => r.task === 'error_classification')!.user;
    expect(offered).toContain('"Skill 7"');
    expect(offered).not.toContain('"Skill 8"');
    expect(judge.requests[0].user).toContain('at most 8 categories');
    const small = createScriptedJudge((r) => (r.task === 'error_classification' ? scriptedTaxonomyAnswer(r) : listAnswer(many)));
    await buildTaxonomy({ failures: input.slice(0, 25) }, { maxDepth: 1 }, { judge: small });
    expect(small.requests[0].user).toContain('at most 3 categories');
  });

  it('counts failures, not distinct titles, for the budget: 85 failures of 49 titles allow 9 categories', async () => {
    // 49 distinct titles: 36 carried by 2 failures, 13 by 1 → 85 failures; the reference allows ceil(8.5) = 9
    const input = Array.from({ length: 49 }, (_, i) => i).flatMap((i) =>
      Array.from({ length: i < 36 ? 2 : 1 }, (_, r) => ({ failureId: `f${i}-${r}`, errorTitle: `title ${i}`, errorSummary: '' })),
    );
    expect(input).toHaveLength(85);
    const judge = createScriptedJudge(scriptedTaxonomyAnswer);
    await buildTaxonomy({ failures: input }, { maxDepth: 1 }, { judge });
    expect(judge.requests[0].user).toContain(`at most ${maxCategoriesFor(85, 25)} categories`);
    expect(maxCategoriesFor(85, 25)).toBe(9);
    expect(maxCategoriesFor(1000, 25)).toBe(25);
  });

  it('splits an Other that holds more than 5 distinct titles, like any category', async () => {
    // a budget of one category at the root: Computation Error, and Counting's 10 titles in Other
    const input = [...failures(10, ['calculation']), ...failures(10, ['counting'])];
    const { root } = await buildTaxonomy(
      { failures: input },
      { maxDepth: 2, maxCategories: 1 },
      { judge: createScriptedJudge(scriptedTaxonomyAnswer) },
    );
    const other = root.children.find((c) => c.name === OTHER_NAME)!;
    expect(other.count).toBe(failures(10, ['counting']).length);
    expect(other.children.length).toBeGreaterThan(1);
    expectConsistent(root, input);
  });

  it('stores the update and review ratings on the node whose categories they rate', async () => {
    const input = Array.from({ length: 30 }, (_, i) => ({ failureId: `f${i}`, errorTitle: `calculation slip ${i}`, errorSummary: '' }));
    const { root } = await buildTaxonomy(
      { failures: input },
      { maxDepth: 1, batchSize: 20 },
      { judge: createScriptedJudge(scriptedTaxonomyAnswer) },
    );
    expect(root.ratings).toEqual([
      {
        task: 'taxonomy_update',
        batch: 2,
        rating: 70,
        explanation: 'Scripted update of 1 categories.',
        suggestions: 'None: scripted answer.',
      },
      { task: 'taxonomy_review', rating: 85, explanation: 'Scripted review of 1 categories.', suggestions: 'None: scripted answer.' },
    ]);
    expect(root.children[0].ratings).toBeUndefined();
  });

  it('keeps a "Hard to Analyze" category the judge proposes, and says in the prompt when to use it', async () => {
    const categories = [
      { name: 'Computation Error', description: 'c' },
      { name: 'Hard to Analyze', description: 'Ambiguous or context-poor errors.' },
    ];
    const judge = createScriptedJudge((r) =>
      r.task === 'error_classification'
        ? { assignments: Array.from({ length: 20 }, (_, i) => ({ id: i + 1, category: i < 4 ? 'Hard to Analyze' : 'Computation Error' })) }
        : listAnswer(categories),
    );
    const input = Array.from({ length: 20 }, (_, i) => ({ failureId: `f${i}`, errorTitle: `t${i}`, errorSummary: '' }));
    const { root } = await buildTaxonomy({ failures: input }, { maxDepth: 1 }, { judge });
    expect(root.children.map((c) => [c.name, c.count])).toEqual([
      ['Computation Error', 16],
      ['Hard to Analyze', 4],
    ]);
    expect(judge.requests[0].system).toContain('"Hard to Analyze"');
  });

  it('keeps two categories that share their first five words, and drops a proposed "Other"', async () => {
    const judge = createScriptedJudge((r) =>
      r.task === 'error_classification'
        ? { assignments: [] }
        : listAnswer([
            { name: 'Error in applying the formula for area', description: 'd' },
            { name: 'Error in applying the formula for volume', description: 'd' },
            { name: 'other', description: 'x' },
          ]),
    );
    const input = Array.from({ length: 20 }, (_, i) => ({ failureId: `f${i}`, errorTitle: `t${i}`, errorSummary: '' }));
    await buildTaxonomy({ failures: input }, { maxDepth: 1 }, { judge });
    const offered = judge.requests.find((r) => r.task === 'error_classification')!.user;
    expect(offered).toContain('"Error in applying the formula for area"');
    expect(offered).toContain('"Error in applying the formula for volume"');
    expect(offered.match(/"name":"other"/gi) ?? []).toHaveLength(1); // only the built-in Other
  });

  describe('classification answers', () => {
    const input = Array.from({ length: 20 }, (_, i) => ({ failureId: `f${i}`, errorTitle: `title ${i}`, errorSummary: '' }));
    const categories = listAnswer([
      { name: 'Alpha Skill', description: 'a' },
      { name: 'Beta Skill', description: 'b' },
    ]);
    const titlesOf = (user: string) =>
      [...user.matchAll(/^(\d+)\. (".*")$/gm)].map((m) => ({ id: Number(m[1]), title: JSON.parse(m[2]) as string }));
    const run = (classify: (titles: { id: number; title: string }[]) => unknown) =>
      buildTaxonomy(
        { failures: input },
        { maxDepth: 1 },
        { judge: createScriptedJudge((r) => (r.task === 'error_classification' ? classify(titlesOf(r.user)) : categories)) },
      );
    const namesOf = (root: TaxonomyNode) => Object.fromEntries(root.children.map((c) => [c.name, c.count]));

    it('matches category names case-insensitively and ignoring surrounding spaces', async () => {
      const { root } = await run((ts) => ({
        assignments: ts.map((t) => ({ id: t.id, category: t.id % 2 ? '  alpha SKILL ' : 'BETA skill' })),
      }));
      expect(namesOf(root)).toEqual({ 'Alpha Skill': 10, 'Beta Skill': 10 });
    });

    it('asks again about titles filed under an unknown name, and leaves them unplaced (not in Other) when the name stays unknown', async () => {
      const misnamed = new Set(['title 1', 'title 2', 'title 3', 'title 4', 'title 5']);
      const { root, warnings, unplaced } = await run((ts) => ({
        assignments: ts.map((t) => ({ id: t.id, category: misnamed.has(t.title) ? 'Gamma Skill' : 'Alpha Skill' })),
      }));
      expect(namesOf(root)).toEqual({ 'Alpha Skill': 15 });
      expect(unplaced.map((u) => u.failureId)).toEqual(['f1', 'f2', 'f3', 'f4', 'f5']);
      expect(unplaced[0].reason).toMatch(/unknown category "gamma skill"/);
      expect(warnings.join('\n')).toMatch(/5 titles could not be classified after retries and are left unplaced/);
    });

    it('places titles the judge left out once it answers for them on a re-ask', async () => {
      let calls = 0;
      const { root, warnings, unplaced } = await run((ts) => {
        calls++;
        // The first answer leaves out titles 1-4; the re-ask (only those 4 titles) answers all of them.
        const answered = calls === 1 ? ts.filter((t) => t.id > 4) : ts;
        return { assignments: answered.map((t) => ({ id: t.id, category: 'Beta Skill' })) };
      });
      expect(namesOf(root)).toEqual({ 'Beta Skill': 20 });
      expect(unplaced).toEqual([]);
      expect(warnings).toEqual([]);
    });

    it('files explicit "Other" answers in Other', async () => {
      const { root, unplaced } = await run((ts) => ({
        assignments: ts.map((t) => ({ id: t.id, category: t.id <= 3 ? 'other' : 'Beta Skill' })),
      }));
      expect(namesOf(root)).toEqual({ 'Beta Skill': 17, [OTHER_NAME]: 3 });
      expect(unplaced).toEqual([]);
    });

    it('splits a failed batch until only the title that breaks the call is left, and reports that one as unplaced', async () => {
      const judge = createScriptedJudge((r) => {
        if (r.task !== 'error_classification') return categories;
        if (r.user.includes('"title 3"')) return { wrong: true };
        return { assignments: titlesOf(r.user).map((t) => ({ id: t.id, category: 'Alpha Skill' })) };
      });
      const { root, warnings, unplaced } = await buildTaxonomy({ failures: input }, { maxDepth: 1, classifyBatchSize: 5 }, { judge });
      expect(namesOf(root)).toEqual({ 'Alpha Skill': 19 });
      expect(unplaced).toEqual([
        { failureId: 'f3', reason: expect.stringMatching(/^classification at "LLM Errors": call failed \(invalid answer/) },
      ]);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/1 titles could not be classified after retries/);
    });
  });

  it('leaves every failure unplaced, not in Other, when no top-level category can be generated, and says why', async () => {
    const judge = createScriptedJudge(() => {
      throw new JudgeCallError({ task: 'taxonomy_generation', reason: 'HTTP 500 after 3 retries' });
    });
    const input = failures(3);
    const { root, warnings, unplaced } = await buildTaxonomy({ failures: input }, {}, { judge });
    expect(root.children).toEqual([]);
    expect(unplaced.map((u) => u.failureId).sort()).toEqual(input.map((f) => f.failureId).sort());
    expect(unplaced[0].reason).toBe('no top-level category could be generated');
    expect(warnings[0]).toMatch(/generation failed.*HTTP 500/);
  });

  it('keeps the titles in their category when generation below the top level fails', async () => {
    const judge = createScriptedJudge((r) => {
      if (r.task === 'taxonomy_generation' && r.user.includes('parent category "'))
        throw new JudgeCallError({ task: r.task, reason: 'HTTP 500' });
      return scriptedTaxonomyAnswer(r);
    });
    const input = failures(30);
    const { root, unplaced } = await buildTaxonomy({ failures: input }, {}, { judge });
    expect(unplaced).toEqual([]);
    expectConsistent(root, input);
    expect(root.children.length).toBeGreaterThan(1);
    expect(root.children.every((c) => c.children.length === 0)).toBe(true);
  });

  it('merges categories under minShare into Other', async () => {
    const input = [...failures(30, ['calculation']), ...failures(2, ['counting'])];
    const { root } = await buildTaxonomy(
      { failures: input },
      { maxDepth: 1, minShare: 0.1 },
      { judge: createScriptedJudge(scriptedTaxonomyAnswer) },
    );
    expect(root.children.map((c) => c.name)).toEqual(['Computation Error', OTHER_NAME]);
    expect(root.children[1].count).toBe(3);
  });

  it('gives the same ids and tree on a rerun, whatever the input order', async () => {
    const input = failures(20);
    const a = await buildTaxonomy({ failures: input }, {}, { judge: createScriptedJudge(scriptedTaxonomyAnswer) });
    const b = await buildTaxonomy({ failures: [...input].reverse() }, {}, { judge: createScriptedJudge(scriptedTaxonomyAnswer) });
    expect(b.root).toEqual(a.root);
    expect(b.assignments).toEqual(a.assignments);
    const ids = allNodes(a.root).map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives the same tree and warnings whatever order the calls finish in', async () => {
    const input = failures(25);
    const base = createScriptedJudge((r) => {
      // every sub-level classification that contains a "part 3" title fails
      if (r.task === 'error_classification' && r.user.includes('parent category "') && r.user.includes('part 3 ')) return { broken: 1 };
      return scriptedTaxonomyAnswer(r);
    });
    const withDelays = (delayOf: (n: number) => number): Judge => {
      let n = 0;
      return {
        id: 'delayed',
        async call(req) {
          const wait = delayOf(n++);
          await new Promise((resolve) => setTimeout(resolve, wait));
          return base.call(req);
        },
      };
    };
    const a = await buildTaxonomy({ failures: input }, {}, { judge: withDelays((n) => n % 5) });
    const b = await buildTaxonomy({ failures: input }, {}, { judge: withDelays((n) => 5 - (n % 5)) });
    expect(a.warnings.length).toBeGreaterThan(1);
    expect(b.warnings).toEqual(a.warnings);
    expect(b.root).toEqual(a.root);
  });

  it('shuffles titles with the seed', async () => {
    const input = failures(20);
    const first = async (seed: number) => {
      const judge = createScriptedJudge(scriptedTaxonomyAnswer);
      await buildTaxonomy({ failures: input }, { seed, maxDepth: 1 }, { judge });
      return judge.requests[0].user;
    };
    expect(await first(1)).toBe(await first(1));
    expect(await first(1)).not.toBe(await first(2));
  });

  it('merges pre-placed failures with a generated category of the same name, without classifying them', async () => {
    const input = failures(10, ['calculation', 'counting']);
    const placed = [
      { failureId: 'p1', path: ['computation ERROR'] },
      { failureId: 'p2', path: ['Empty Output'] },
    ];
    const judge = createScriptedJudge(scriptedTaxonomyAnswer);
    const { root, assignments } = await buildTaxonomy(
      {
        failures: [...input, { failureId: 'p2', errorTitle: 'format slip', errorSummary: '' }],
        placed,
        descriptions: { 'Empty Output': 'The model produced no text.' },
      },
      { maxDepth: 1 },
      { judge },
    );
    expect(root.children.filter((c) => c.name.toLowerCase() === 'computation error')).toHaveLength(1);
    const computation = root.children.find((c) => c.name === 'Computation Error')!;
    expect(computation.failureIds).toContain('p1');
    expect(root.children.find((c) => c.name === 'Empty Output')?.description).toBe('The model produced no text.');
    expect(judge.requests.some((r) => r.user.includes('format slip'))).toBe(false);
    expect(assignments).toHaveLength(input.length + 2);
  });
});

describe('buildTreeFromPaths', () => {
  it('builds the tree from paths alone and files inner-node failures in Other', () => {
    const { root, assignments } = buildTreeFromPaths(
      [
        { failureId: 'a', path: ['Format', 'Bad JSON'] },
        { failureId: 'b', path: ['format', 'bad json'] },
        { failureId: 'c', path: ['Format'] },
        { failureId: 'd', path: [] },
      ],
      { Format: 'Output format problems.' },
    );
    expect(root.count).toBe(4);
    const format = root.children.find((c) => c.name === 'Format')!;
    expect(format.description).toBe('Output format problems.');
    expect(format.children.map((c) => [c.name, c.count])).toEqual([
      ['Bad JSON', 2],
      [OTHER_NAME, 1],
    ]);
    expect(root.children.find((c) => c.name === OTHER_NAME)?.failureIds).toEqual(['d']);
    expect(assignments.find((a) => a.failureId === 'c')?.path).toHaveLength(2);
  });
});
