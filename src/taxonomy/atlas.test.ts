import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scriptedTaxonomyAnswer } from '../../test/support/scripted-taxonomy-answers.js';
import { OTHER_NAME, type TaxonomyNode } from '../contracts/taxonomy-node.js';
import { createScriptedJudge } from '../testing/scripted-judge.js';
import { classifyIntoAtlas } from './atlas-classify.js';
import { extendAtlas } from './atlas-extend.js';
import { mergeAtlases } from './atlas-merge.js';
import { buildTaxonomy } from './build-taxonomy.js';
import { isPartialTaxonomy, readTaxonomyFile } from './reference-format.js';
import type { TitledFailure } from './titles.js';

const STARTER = join(import.meta.dirname, '..', '..', 'atlas', 'errormap-starter.json');
const allNodes = (n: TaxonomyNode): TaxonomyNode[] => [n, ...n.children.flatMap(allNodes)];
const byName = (n: TaxonomyNode, name: string) => n.children.find((c) => c.name === name)!;

function titled(kinds: string[], perKind: number): TitledFailure[] {
  return kinds.flatMap((k) =>
    Array.from({ length: perKind }, (_, i) => ({ failureId: `${k}-${i}`, errorTitle: `${k} slip ${i} word${i % 3}`, errorSummary: '' })),
  );
}

describe('the starter atlas', () => {
  it('holds the paper top-level categories and says it is partial', () => {
    const atlas = readTaxonomyFile(STARTER);
    expect(isPartialTaxonomy(STARTER)).toBe(true);
    expect(atlas.children.map((c) => c.name)).toContain('Tool/API Usage Error');
    expect(atlas.children.map((c) => c.name)).toContain('Hard to Analyze');
    expect(atlas.children).toHaveLength(9);
    for (const c of atlas.children) expect(c.description.length).toBeGreaterThan(20);
  });
});

describe('classifyIntoAtlas', () => {
  it('files failures into the fixed categories, keeping their ids, with no generation calls', async () => {
    const atlas = readTaxonomyFile(STARTER);
    const input = titled(['calculation', 'factual', 'counting', 'zebra'], 12);
    const judge = createScriptedJudge(scriptedTaxonomyAnswer);
    const { root, assignments, warnings } = await classifyIntoAtlas({ failures: input }, atlas, {}, { judge });
    expect(warnings).toEqual([]);
    expect(judge.requests.length).toBeGreaterThan(0);
    expect(judge.requests.every((r) => r.task === 'error_classification')).toBe(true);
    expect(judge.requests).toHaveLength(1); // 48 distinct titles, one level, batches of 50
    expect(byName(root, 'Computation Error').id).toBe(byName(atlas, 'Computation Error').id);
    expect(byName(root, 'Computation Error').count).toBe(12);
    expect(byName(root, 'Factual Error').count).toBe(12);
    // "counting" and "zebra" titles fit no starter category (the scripted judge says "Counting Error")
    expect(byName(root, OTHER_NAME).count).toBe(24);
    expect(byName(root, 'Hard to Analyze').count).toBe(0);
    expect(assignments).toHaveLength(input.length);
    expect(root.children.slice(0, 9).map((c) => c.id)).toEqual(atlas.children.map((c) => c.id));
  });

  it('classifies level by level into a deeper atlas and reuses its Other', async () => {
    // the small "zebra" group is folded into Other, so the atlas has an Other to reuse
    const seed = [...titled(['calculation', 'factual'], 30), ...titled(['zebra'], 3)];
    const built = await buildTaxonomy({ failures: seed }, { minShare: 0.1 }, { judge: createScriptedJudge(scriptedTaxonomyAnswer) });
    expect(byName(built.root, OTHER_NAME).count).toBe(3);
    const fresh = titled(['calculation', 'factual', 'zebra'], 9).map((f) => ({ ...f, failureId: `new-${f.failureId}` }));
    const judge = createScriptedJudge(scriptedTaxonomyAnswer);
    const { root } = await classifyIntoAtlas({ failures: fresh }, built.root, {}, { judge });
    expect(judge.requests.some((r) => r.task !== 'error_classification')).toBe(false);
    // one call at the top level, then one per chosen category that has children
    expect(judge.requests.filter((r) => !r.user.includes('parent category "'))).toHaveLength(1);
    expect(judge.requests.filter((r) => r.user.includes('parent category "Computation Error"'))).toHaveLength(1);
    const builtIds = new Set(allNodes(built.root).map((n) => n.id));
    for (const n of allNodes(root)) expect(builtIds.has(n.id)).toBe(true);
    const computation = byName(root, 'Computation Error');
    expect(computation.count).toBe(9);
    expect(computation.children.reduce((s, c) => s + c.count, 0)).toBe(9);
    expect(root.count).toBe(27);
    expect(byName(root, OTHER_NAME).id).toBe(byName(built.root, OTHER_NAME).id);
    expect(byName(root, OTHER_NAME).count).toBe(9);
  });

  it('creates an Other with a stable id when the atlas has none', async () => {
    const atlas = readTaxonomyFile(STARTER);
    const run = async () =>
      (await classifyIntoAtlas({ failures: titled(['zebra'], 3) }, atlas, {}, { judge: createScriptedJudge(scriptedTaxonomyAnswer) })).root;
    const [a, b] = [await run(), await run()];
    expect(byName(a, OTHER_NAME).count).toBe(3);
    expect(byName(a, OTHER_NAME).id).toBe(byName(b, OTHER_NAME).id);
    expect(atlas.children.some((c) => c.name === OTHER_NAME)).toBe(false); // the atlas itself is untouched
  });
});

describe('mergeAtlases', () => {
  it('matches categories by name at the same level, keeps the first run ids and unites children', async () => {
    const a = (
      await buildTaxonomy({ failures: titled(['calculation', 'factual'], 30) }, {}, { judge: createScriptedJudge(scriptedTaxonomyAnswer) })
    ).root;
    const b: TaxonomyNode = {
      id: 'other-root',
      name: 'LLM Errors',
      description: '',
      depth: 0,
      count: 3,
      share: 1,
      children: [
        {
          id: 'b1',
          name: 'COMPUTATION error',
          description: 'x',
          depth: 1,
          count: 2,
          share: 0.66,
          children: [
            { id: 'b11', name: 'Unit Slip', description: 'u', depth: 2, count: 2, share: 1, children: [], failureIds: ['x', 'y'] },
          ],
        },
        { id: 'b2', name: 'Tool Misuse', description: 't', depth: 1, count: 1, share: 0.33, children: [], failureIds: ['z'] },
        { id: 'b3', name: 'No error found', description: 'n', depth: 1, count: 1, share: 0.33, children: [], failureIds: ['w'] },
      ],
    };
    const merged = mergeAtlases([a, b]);
    const names = merged.children.map((c) => c.name);
    expect(names.filter((n) => n.toLowerCase() === 'computation error')).toEqual(['Computation Error']);
    expect(byName(merged, 'Computation Error').id).toBe(byName(a, 'Computation Error').id);
    expect(byName(merged, 'Computation Error').children.map((c) => c.name)).toContain('Unit Slip');
    expect(byName(merged, 'Tool Misuse').id).toBe('b2');
    // A run's benchmark-noise candidates are not a category of error.
    expect(names).not.toContain('No error found');
    for (const n of allNodes(a)) expect(allNodes(merged).find((m) => m.id === n.id)?.name).toBe(n.name);
    expect(allNodes(merged).length).toBeGreaterThan(allNodes(a).length);
    expect(allNodes(merged).every((n) => n.count === 0 && (n.failureIds ?? []).length === 0)).toBe(true);
  });
});

describe('extendAtlas', () => {
  it('adds categories from Other titles when Other is large, keeping every existing id', async () => {
    const atlas = readTaxonomyFile(STARTER);
    const input = [...titled(['calculation'], 10), ...titled(['zebra', 'quokka'], 10)];
    const classified = await classifyIntoAtlas({ failures: input }, atlas, {}, { judge: createScriptedJudge(scriptedTaxonomyAnswer) });
    const otherIds = new Set(byName(classified.root, OTHER_NAME).failureIds);
    const judge = createScriptedJudge(scriptedTaxonomyAnswer);
    const {
      atlas: extended,
      added,
      otherShare,
    } = await extendAtlas(
      classified.root,
      input.filter((f) => otherIds.has(f.failureId)),
      {},
      { judge },
    );
    expect(otherShare).toBeCloseTo(2 / 3);
    expect(added.map((c) => c.name)).toEqual(['Quokka Errors', 'Zebra Errors']);
    expect(judge.requests[0].task).toBe('taxonomy_generation');
    expect(judge.requests[0].user).toContain('"Computation Error"'); // told what exists already
    for (const n of allNodes(classified.root)) expect(allNodes(extended).find((m) => m.id === n.id)?.name).toBe(n.name);
    expect(extended.children[extended.children.length - 1].name).toBe(OTHER_NAME);
    // extending twice from the same answers gives the same new ids
    const again = await extendAtlas(
      classified.root,
      input.filter((f) => otherIds.has(f.failureId)),
      {},
      { judge: createScriptedJudge(scriptedTaxonomyAnswer) },
    );
    expect(again.added.map((c) => c.id)).toEqual(added.map((c) => c.id));
  });

  it('leaves the atlas alone when Other is under the threshold', async () => {
    const atlas = readTaxonomyFile(STARTER);
    const input = [...titled(['calculation'], 20), ...titled(['zebra'], 2)];
    const classified = await classifyIntoAtlas({ failures: input }, atlas, {}, { judge: createScriptedJudge(scriptedTaxonomyAnswer) });
    const judge = createScriptedJudge(scriptedTaxonomyAnswer);
    const result = await extendAtlas(classified.root, titled(['zebra'], 2), { threshold: 0.15 }, { judge });
    expect(result.added).toEqual([]);
    expect(judge.requests).toHaveLength(0);
    expect(result.atlas.children.map((c) => c.id)).toEqual(classified.root.children.map((c) => c.id));
  });
});
