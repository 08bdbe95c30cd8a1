/** One level of the taxonomy shown as rows (the heatmap and the model comparison): which level, how to move. */
import type { ViewNode } from '../../src/report/view-data.js';
import { routeHash } from './route.js';
import type { TreeIndex } from './tree-index.js';

/** The category whose children are the rows: the node asked for, or its parent when it is a leaf. */
export function categoryLevel(index: TreeIndex, nodeId: string | undefined): ViewNode {
  const asked = index.byId.get(nodeId ?? '') ?? index.root;
  return asked.children.length > 0 ? asked : (index.parent.get(asked.id) ?? index.root);
}

/** The node id to put in the route: none for the root. */
export function levelParam(index: TreeIndex, node: ViewNode): string | undefined {
  return node.id === index.root.id ? undefined : node.id;
}

/** The path from the top to the shown level; each step goes back up to it. */
export function LevelBreadcrumb({ index, level, onPick }: { index: TreeIndex; level: ViewNode; onPick: (node: ViewNode) => void }) {
  return (
    <nav class="breadcrumb" aria-label="Category level">
      {index.ancestry(level.id).map((n, i) => (
        <span key={n.id}>
          {i > 0 && <span class="sep">›</span>}
          <button type="button" class="link" onClick={() => onPick(n)}>
            {n.depth === 0 ? 'Top-level categories' : n.name}
          </button>
        </span>
      ))}
    </nav>
  );
}

/** A row's category: its colour, and a link one level down when it has subcategories, else to its failures. */
export function RowCategory({ index, node, onOpen }: { index: TreeIndex; node: ViewNode; onOpen: (node: ViewNode) => void }) {
  return (
    <>
      <span class="swatch" style={{ background: index.colour(node.id) }} />
      {node.children.length > 0 ? (
        <button type="button" class="link" onClick={() => onOpen(node)} title={`${node.name}: one level down`}>
          {node.name} ›
        </button>
      ) : (
        <a href={routeHash('failures', { node: node.id })} title={`${node.name}: its failures`}>
          {node.name}
        </a>
      )}
    </>
  );
}
