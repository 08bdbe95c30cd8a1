import { describe, expect, it } from 'vitest';
import { ROOT_NAME, type TaxonomyNode } from '../contracts/taxonomy-node.js';
import { cleanCategories } from './generate-categories.js';
import { ROOT_ID } from './node-id.js';
import { placeFailures } from './placed.js';
import { assignmentsOf, finaliseTree, newNode } from './populate.js';
import { collectRatings } from './ratings.js';
import { uniqueTitles } from './titles.js';

const root = (): TaxonomyNode => ({ id: ROOT_ID, name: ROOT_NAME, description: '', depth: 0, count: 0, share: 1, children: [] });

describe('placeFailures', () => {
  it('files each failure under its path, reusing a category of the same name whatever its case, in failure id order', () => {
    const tree = root();
    placeFailures(
      tree,
      [
        { failureId: 'f3', path: ['No usable answer', ' Output cut off '] },
        { failureId: 'f1', path: ['no USABLE answer', 'Output cut off'] },
        { failureId: 'f2', path: ['No usable answer', '', 'Empty output'] },
      ],
      { 'NO USABLE ANSWER': 'Nothing to grade.', 'Output cut off': 'Stops mid-answer.' },
    );
    // f1 comes first by id, so its spelling names the category, whatever order the list had
    expect(tree.children.map((c) => [c.name, c.description])).toEqual([['no USABLE answer', 'Nothing to grade.']]);
    const [cut, empty] = tree.children[0].children;
    expect([cut.name, cut.description, cut.failureIds]).toEqual(['Output cut off', 'Stops mid-answer.', ['f1', 'f3']]);
    expect([empty.name, empty.description, empty.failureIds]).toEqual(['Empty output', '', ['f2']]);
  });

  it('files a failure with no path (or only blank names) in the top-level Other', () => {
    const tree = root();
    placeFailures(tree, [
      { failureId: 'f2', path: [] },
      { failureId: 'f1', path: ['  '] },
    ]);
    expect(tree.children.map((c) => [c.name, c.failureIds])).toEqual([['Other', ['f1', 'f2']]]);
  });
});

describe('uniqueTitles', () => {
  it('groups titles by their normalised form, sorted, with the most frequent spelling (ties: alphabetical)', () => {
    const titles = uniqueTitles([
      { failureId: 'f4', errorTitle: 'Sign  error', errorSummary: '' },
      { failureId: 'f1', errorTitle: 'sign error', errorSummary: '' },
      { failureId: 'f2', errorTitle: ' Sign error ', errorSummary: '' },
      { failureId: 'f3', errorTitle: 'Arithmetic slip', errorSummary: '' },
      { failureId: 'f5', errorTitle: '   ', errorSummary: '' },
      { failureId: 'f6', errorTitle: 'B', errorSummary: '' },
      { failureId: 'f7', errorTitle: 'b', errorSummary: '' },
    ]);
    expect(titles.map((t) => [t.key, t.title, t.failureIds])).toEqual([
      ['(untitled error)', '(untitled error)', ['f5']],
      ['arithmetic slip', 'Arithmetic slip', ['f3']],
      ['b', 'B', ['f6', 'f7']],
      ['sign error', 'Sign error', ['f1', 'f2', 'f4']],
    ]);
  });
});

describe('finaliseTree and assignmentsOf', () => {
  function tree(): TaxonomyNode {
    const r = root();
    const add = (name: string, ids: string[]) => {
      const node = newNode(r, name, '');
      node.failureIds = ids;
      r.children.push(node);
      return node;
    };
    add('Other', ['f9', 'f8', 'f7', 'f6']);
    add('Zeta', ['f5']);
    add('Beta', ['f4', 'f3']);
    add('Alpha', ['f2']);
    add('Empty', []);
    return r;
  }

  it('sorts siblings by count, then name, Other last whatever its size; shares are of the parent, 0 under an empty parent', () => {
    const sorted = finaliseTree(tree(), { sortByCount: true });
    expect(sorted.children.map((c) => [c.name, c.count, c.share])).toEqual([
      ['Beta', 2, 2 / 8],
      ['Alpha', 1, 1 / 8],
      ['Zeta', 1, 1 / 8],
      ['Empty', 0, 0],
      ['Other', 4, 4 / 8],
    ]);
    const empty = sorted.children[3];
    empty.children.push(newNode(empty, 'Inner', ''));
    finaliseTree(sorted, { sortByCount: true });
    expect(empty.children[0].share).toBe(0);
    expect(finaliseTree(tree(), { sortByCount: false }).children.map((c) => c.name)).toEqual(['Other', 'Zeta', 'Beta', 'Alpha', 'Empty']);
  });

  it('lists every failure with its path, by failure id', () => {
    const sorted = finaliseTree(tree(), { sortByCount: true });
    const ids = Object.fromEntries(sorted.children.map((c) => [c.name, c.id]));
    expect(assignmentsOf(sorted).map((a) => [a.failureId, a.path])).toEqual([
      ['f2', [ids.Alpha]],
      ['f3', [ids.Beta]],
      ['f4', [ids.Beta]],
      ['f5', [ids.Zeta]],
      ['f6', [ids.Other]],
      ['f7', [ids.Other]],
      ['f8', [ids.Other]],
      ['f9', [ids.Other]],
    ]);
  });
});

describe('cleanCategories', () => {
  it('single-spaces names and descriptions, and drops Other, blanks, repeats and categories that exist', () => {
    const cleaned = cleanCategories(
      [
        { name: '  Sign\t error ', description: ' Flips\n the   sign. ' },
        { name: 'sign ERROR', description: 'again' },
        { name: ' other ', description: 'catch-all' },
        { name: '   ', description: 'nameless' },
        { name: 'Rounding', description: 'exists already' },
        { name: 'Sign error in units', description: 'shares its first words, still its own' },
      ],
      [{ name: 'ROUNDING', description: '' }],
    );
    expect(cleaned).toEqual([
      { name: 'Sign error', description: 'Flips the sign.' },
      { name: 'Sign error in units', description: 'shares its first words, still its own' },
    ]);
  });
});

describe('collectRatings', () => {
  it('lists the nodes that carry ratings, parents first, with their path of names', () => {
    const rating = (n: number) => ({ task: 'taxonomy_review' as const, rating: n, explanation: 'e', suggestions: '' });
    const r = root();
    const a = newNode(r, 'A', '');
    const b = newNode(a, 'B', '');
    r.children.push(a);
    a.children.push(b, newNode(a, 'C', ''));
    r.ratings = [rating(70)];
    b.ratings = [rating(90)];
    a.ratings = [];
    expect(collectRatings(r)).toEqual([
      { nodeId: ROOT_ID, path: [], ratings: [rating(70)] },
      { nodeId: b.id, path: ['A', 'B'], ratings: [rating(90)] },
    ]);
  });
});
