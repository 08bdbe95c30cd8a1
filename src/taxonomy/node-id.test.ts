import { describe, expect, it } from 'vitest';
import { ROOT_NAME, type TaxonomyNode } from '../contracts/taxonomy-node.js';
import { ensureUniqueIds, normaliseName, ROOT_ID, stableNodeId } from './node-id.js';
import { finaliseTree, newNode, otherChild } from './populate.js';

function root(): TaxonomyNode {
  return { id: ROOT_ID, name: ROOT_NAME, description: '', depth: 0, count: 0, share: 1, children: [] };
}

/** A tree with the given top-level categories, each with one failure filed in its Other. */
function treeWithOthers(categories: string[]): TaxonomyNode {
  const tree = root();
  for (const name of categories) {
    const category = newNode(tree, name, `${name} errors`);
    tree.children.push(category);
    category.children.push(newNode(category, 'Leaf', 'a leaf'));
    otherChild(category).failureIds = [`f-${name}`];
  }
  return finaliseTree(tree, { sortByCount: false });
}

const otherIdUnder = (tree: TaxonomyNode, category: string) =>
  tree.children.find((c) => c.name === category)?.children.find((c) => c.name === 'Other')?.id;

describe('node ids', () => {
  it('depend on the parent: same-named nodes under different parents get different ids', () => {
    expect(stableNodeId('c_parent_a', 'Other')).not.toBe(stableNodeId('c_parent_b', 'Other'));
    const tree = treeWithOthers(['Arithmetic', 'Reading']);
    expect(otherIdUnder(tree, 'Arithmetic')).toBe(stableNodeId(stableNodeId(ROOT_ID, 'Arithmetic'), 'Other'));
    expect(otherIdUnder(tree, 'Reading')).toBe(stableNodeId(stableNodeId(ROOT_ID, 'Reading'), 'Other'));
  });

  it('keep a category’s id when another run lacks its same-named cousin, so runs join on the right node', () => {
    // run diff joins categories by id: Reading/Other must not take the id Arithmetic/Other had in the other run
    const both = treeWithOthers(['Arithmetic', 'Reading']);
    const readingOnly = treeWithOthers(['Reading']);
    expect(otherIdUnder(readingOnly, 'Reading')).toBe(otherIdUnder(both, 'Reading'));
    expect(otherIdUnder(readingOnly, 'Reading')).not.toBe(otherIdUnder(both, 'Arithmetic'));
  });

  it('ignore case and spacing of the name, and take a salt only when asked', () => {
    expect(stableNodeId('p', '  Wrong   ANSWER ')).toBe(stableNodeId('p', 'wrong answer'));
    expect(stableNodeId('p', 'x', 1)).not.toBe(stableNodeId('p', 'x'));
    expect(stableNodeId('p', 'x', 1)).not.toBe(stableNodeId('p', 'x', 2));
    expect(stableNodeId('p', 'x')).toMatch(/^c_[0-9a-f]{10}$/);
    expect(normaliseName('Ｏｔｈｅｒ\t errors')).toBe('other errors');
  });

  it('are made unique in tree order: a repeated id is re-derived from the same parent with a salt', () => {
    const tree = root();
    const a = newNode(tree, 'Same', 'first');
    const b = newNode(tree, 'same', 'second');
    tree.children.push(a, b);
    const parents = new Map<TaxonomyNode, string>();
    ensureUniqueIds(tree, parents);
    expect(a.id).toBe(stableNodeId(ROOT_ID, 'Same'));
    expect(b.id).toBe(stableNodeId(ROOT_ID, 'same', 1));
    expect(parents.get(b)).toBe(ROOT_ID);
    expect(parents.get(tree)).toBe('');
  });
});
