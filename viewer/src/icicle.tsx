import { hierarchy, partition } from 'd3-hierarchy';
import type { ViewNode } from '../../src/report/view-data.js';
import { fmtInt, fmtPct } from './format.js';
import type { TreeIndex } from './tree-index.js';

const WIDTH = 960;
const HEIGHT = 560;

/** A left-to-right icicle of the (pruned) focus subtree: width = depth, height = failure count. */
export function Icicle({ tree, index, onPick }: { tree: ViewNode; index: TreeIndex; onPick: (node: ViewNode) => void }) {
  // Each node's own value is what its kept children do not cover, so hiding a child keeps the parent's size.
  const root = hierarchy(tree).sum((d) => Math.max(0, d.count - d.children.reduce((a, c) => a + c.count, 0)));
  const levels = root.height + 1;
  const laid = partition<ViewNode>().size([HEIGHT, WIDTH]).padding(1)(root);
  return (
    <svg class="icicle" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`Icicle chart of ${tree.name}`}>
      {laid.descendants().map((d) => {
        const x = (d.depth * WIDTH) / levels;
        const w = WIDTH / levels - 2;
        const h = d.x1 - d.x0;
        const node = d.data;
        const isFocus = d.depth === 0;
        const shareOfFocus = tree.count > 0 ? node.count / tree.count : 0;
        const chars = Math.floor((w - 12) / 7);
        const label = node.name.length > chars ? `${node.name.slice(0, Math.max(1, chars - 1))}…` : node.name;
        return (
          <g
            key={node.id}
            class={isFocus ? 'cell focus' : 'cell'}
            data-node-id={node.id}
            transform={`translate(${x},${d.x0})`}
            onClick={() => onPick(node)}
            role="button"
            tabIndex={0}
            onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && onPick(node)}
          >
            <title>
              {`${node.name}\n${fmtInt(node.count)} failures · ${fmtPct(node.share)} of parent · ${fmtPct(shareOfFocus)} of ${tree.name}`}
              {isFocus && node.depth > 0 ? '\nClick to zoom out' : ''}
            </title>
            <rect
              width={w}
              height={Math.max(0, h)}
              rx={3}
              fill={index.colour(node.id)}
              fill-opacity={isFocus ? 0.95 : Math.max(0.35, 0.9 - 0.15 * d.depth)}
            />
            {h > 16 && (
              <text x={8} y={Math.min(h / 2, 18) + 5} class="cell-label">
                {label}
              </text>
            )}
            {/* the count line sits 40 px down: draw it only where the cell holds it */}
            {h > 44 && (
              <text x={8} y={Math.min(h / 2, 18) + 22} class="cell-count">
                {`${fmtInt(node.count)} · ${fmtPct(shareOfFocus)}`}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
