import { expect } from 'vitest';
import type { TaxonomyNode } from '../../src/contracts/taxonomy-node.js';

/** Asserts the taxonomy's bookkeeping: counts add up, shares sum to one, every failure is in exactly one leaf. */
export function expectConsistentTree(root: TaxonomyNode, analysedFailureIds: string[]): void {
  const seen = new Map<string, number>();
  const walk = (node: TaxonomyNode) => {
    if (node.children.length === 0) {
      expect(node.failureIds?.length ?? 0, `leaf ${node.name} count`).toBe(node.count);
      for (const id of node.failureIds ?? []) seen.set(id, (seen.get(id) ?? 0) + 1);
      return;
    }
    expect(
      node.children.reduce((n, c) => n + c.count, 0),
      `children of ${node.name}`,
    ).toBe(node.count);
    expect(node.children.reduce((s, c) => s + c.share, 0)).toBeCloseTo(1, 6);
    node.children.forEach(walk);
  };
  walk(root);
  expect(root.count).toBe(analysedFailureIds.length);
  expect([...seen.values()].every((n) => n === 1)).toBe(true);
  expect([...seen.keys()].sort()).toEqual([...analysedFailureIds].sort());
}

export function leafPaths(root: TaxonomyNode): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (node: TaxonomyNode, path: string[]) => {
    const here = node.depth === 0 ? path : [...path, node.name];
    for (const id of node.failureIds ?? []) out.set(id, here.join(' > '));
    for (const c of node.children) walk(c, here);
  };
  walk(root, []);
  return out;
}
