import { describe, expect, it } from 'vitest';
import { ROOT_NAME, type TaxonomyNode } from '../contracts/taxonomy-node.js';
import { ROOT_ID } from './node-id.js';
import { placeFailures } from './placed.js';
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
