import { scaleOrdinal } from 'd3-scale';
import { schemeTableau10 } from 'd3-scale-chromatic';
import type { ViewNode } from '../../src/report/view-data.js';

/** Lookups over the taxonomy: node by id, parent, top-level ancestor, and a colour per top-level category. */
export interface TreeIndex {
  root: ViewNode;
  byId: Map<string, ViewNode>;
  parent: Map<string, ViewNode>;
  colour(id: string): string;
  /** Root → node, inclusive. */
  ancestry(id: string): ViewNode[];
  /** Nodes at a depth, in tree order. */
  atDepth(depth: number): ViewNode[];
}

export function indexTree(root: ViewNode): TreeIndex {
  const byId = new Map<string, ViewNode>();
  const parent = new Map<string, ViewNode>();
  const top = new Map<string, string>();
  const walk = (n: ViewNode, topId: string) => {
    byId.set(n.id, n);
    top.set(n.id, topId);
    for (const c of n.children) {
      parent.set(c.id, n);
      walk(c, n.depth === 0 ? c.id : topId);
    }
  };
  walk(root, root.id);
  const palette = scaleOrdinal<string, string>(schemeTableau10).domain(root.children.map((c) => c.id));
  return {
    root,
    byId,
    parent,
    colour: (id) => (top.get(id) === root.id ? '#8a94a6' : palette(top.get(id) ?? id)),
    ancestry(id) {
      const out: ViewNode[] = [];
      for (let n = byId.get(id); n; n = parent.get(n.id)) out.unshift(n);
      return out;
    },
    atDepth(depth) {
      const out: ViewNode[] = [];
      const visit = (n: ViewNode) => {
        if (n.depth === depth) out.push(n);
        else if (n.depth < depth) n.children.forEach(visit);
      };
      visit(root);
      return out;
    },
  };
}

/** A copy of the subtree keeping nodes within `maxDepth` levels below `node` whose share is at least `minShare`. */
export function pruneTree(node: ViewNode, maxDepth: number, minShare: number): ViewNode {
  const limit = node.depth + maxDepth;
  const visit = (n: ViewNode): ViewNode => ({
    ...n,
    children: n.depth >= limit ? [] : n.children.filter((c) => c.share >= minShare).map(visit),
  });
  return visit(node);
}
