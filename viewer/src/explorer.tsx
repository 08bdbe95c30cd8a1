import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Overview, ViewNode } from '../../src/report/view-data.js';
import { treeDepth } from '../../src/report/view-data.js';
import { TrustBadge } from './audit-stats.js';
import { fmtInt, fmtPct } from './format.js';
import { Icicle } from './icicle.js';
import { navigate, routeHash } from './route.js';
import { indexTree, pruneTree, type TreeIndex } from './tree-index.js';

/** Taxonomy explorer: collapsible tree list beside an icicle; the zoomed node lives in the URL. */
export function Explorer({ overview, params }: { overview: Overview; params: Record<string, string> }) {
  const index = useMemo(() => indexTree(overview.taxonomy), [overview]);
  const focus = index.byId.get(params.node ?? '') ?? index.root;
  // The depth selector offers only the levels the focused subtree has.
  const levels = Math.max(1, treeDepth(focus));
  const maxDepth = clampInt(params.depth, 1, levels, Math.min(3, levels));
  const minShare = clampInt(params.min, 0, 50, 0) / 100;
  const pruned = useMemo(() => pruneTree(focus, maxDepth, minShare), [focus, maxDepth, minShare]);
  const set = (patch: Record<string, string | number | undefined>) =>
    navigate('explorer', {
      node: focus.id === index.root.id ? undefined : focus.id,
      depth: params.depth,
      min: params.min,
      ...patch,
    });
  const zoom = (node: ViewNode) => {
    const target = node.id === focus.id ? index.parent.get(node.id) : node;
    set({
      node: !target || target.id === index.root.id ? undefined : target.id,
    });
  };

  useEffect(() => {
    document.documentElement.dataset.ready = 'explorer'; // benchmarks and tests wait for this
  }, []);

  return (
    <div class="explorer">
      {!overview.taxonomyOnly && <FirstRunGuide overview={overview} />}
      <div class="toolbar">
        <Breadcrumb index={index} focus={focus} onPick={(n) => set({ node: n.id === index.root.id ? undefined : n.id })} />
        <TrustBadge audit={overview.audit} />
        <div class="filters">
          <label>
            Depth
            <select
              value={String(maxDepth)}
              onChange={(e) => set({ depth: (e.target as HTMLSelectElement).value })}
              aria-label="Maximum depth"
            >
              {Array.from({ length: levels }, (_, i) => i + 1).map((d) => (
                <option key={d} value={d}>
                  {d} {d === 1 ? 'level' : 'levels'}
                </option>
              ))}
            </select>
          </label>
          <label>
            Min share
            <select
              value={String(minShare * 100)}
              onChange={(e) => set({ min: (e.target as HTMLSelectElement).value })}
              aria-label="Minimum share"
            >
              {[0, 1, 2, 5, 10, 20].map((m) => (
                <option key={m} value={m}>
                  {m === 0 ? 'any' : `≥ ${m}%`}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
      <div class="explorer-grid">
        <aside class="panel tree-panel" aria-label="Category tree">
          <TreeList
            node={pruned}
            index={index}
            focusId={focus.id}
            onPick={(n) => set({ node: n.id === index.root.id ? undefined : n.id })}
          />
        </aside>
        <section class="panel chart-panel">
          <Icicle tree={pruned} index={index} onPick={zoom} />
          <p class="hint">Click a category to zoom in; click the leftmost bar to zoom out. Hover for counts.</p>
        </section>
      </div>
      <NodeDetails
        node={focus}
        index={index}
        taxonomyOnly={overview.taxonomyOnly === true}
        onPick={(n) => set({ node: n.id === index.root.id ? undefined : n.id })}
      />
    </div>
  );
}

function clampInt(value: string | undefined, lo: number, hi: number, fallback: number): number {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : fallback;
}

function Breadcrumb({ index, focus, onPick }: { index: TreeIndex; focus: ViewNode; onPick: (n: ViewNode) => void }) {
  const chain = index.ancestry(focus.id);
  return (
    <nav class="breadcrumb" aria-label="Zoom path">
      {chain.map((n, i) => (
        <span key={n.id}>
          {i > 0 && <span class="sep">›</span>}
          {i === chain.length - 1 ? (
            <strong>{n.name}</strong>
          ) : (
            <button type="button" class="link" onClick={() => onPick(n)}>
              {n.name}
            </button>
          )}
        </span>
      ))}
    </nav>
  );
}

function TreeList({ node, index, focusId, onPick }: { node: ViewNode; index: TreeIndex; focusId: string; onPick: (n: ViewNode) => void }) {
  const [collapsed, setCollapsed] = useState<Set<string>>(() => new Set());
  const toggle = (id: string) => {
    const next = new Set(collapsed);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setCollapsed(next);
  };
  const item = (n: ViewNode) => {
    const open = !collapsed.has(n.id);
    return (
      <li key={n.id} class={n.id === focusId ? 'tree-item current' : 'tree-item'}>
        <div class="tree-row">
          {n.children.length > 0 ? (
            <button
              type="button"
              class="toggle"
              aria-expanded={open}
              aria-label={open ? `Collapse ${n.name}` : `Expand ${n.name}`}
              onClick={() => toggle(n.id)}
            >
              {open ? '▾' : '▸'}
            </button>
          ) : (
            <span class="toggle-space" />
          )}
          <span class="swatch" style={{ background: index.colour(n.id) }} />
          <button type="button" class="tree-name" data-tree-id={n.id} onClick={() => onPick(n)} title={n.description}>
            {n.name}
          </button>
          <span class="tree-count">{fmtInt(n.count)}</span>
          <span class="tree-share">{n.depth === 0 ? '' : fmtPct(n.share)}</span>
        </div>
        {open && n.children.length > 0 && <ul>{n.children.map(item)}</ul>}
      </li>
    );
  };
  return <ul class="tree">{item(node)}</ul>;
}

function NodeDetails({
  node,
  index,
  taxonomyOnly,
  onPick,
}: {
  node: ViewNode;
  index: TreeIndex;
  taxonomyOnly: boolean;
  onPick: (n: ViewNode) => void;
}) {
  const ofAll = index.root.count > 0 ? node.count / index.root.count : 0;
  return (
    <section class="panel details" aria-label="Selected category">
      <div class="details-head">
        <div>
          <h2>{node.name}</h2>
          <p class="description">{node.description || 'No description.'}</p>
        </div>
        <dl class="stats">
          <div>
            <dt>Failures</dt>
            <dd>{fmtInt(node.count)}</dd>
          </div>
          <div>
            <dt>Of parent</dt>
            <dd>{fmtPct(node.share)}</dd>
          </div>
          <div>
            <dt>Of all</dt>
            <dd>{fmtPct(ofAll)}</dd>
          </div>
        </dl>
      </div>
      {!taxonomyOnly && (
        <p class="actions">
          <a class="button" href={routeHash('failures', { node: node.id })}>
            Show {fmtInt(node.count)} failures
          </a>
          <a class="button secondary" href={routeHash('signatures', { node: node.id })}>
            Signatures by model
          </a>
        </p>
      )}
      {node.children.length > 0 && (
        <table class="grid">
          <thead>
            <tr>
              <th>Subcategory</th>
              <th>Description</th>
              <th class="num">Failures</th>
              <th class="num">Share</th>
            </tr>
          </thead>
          <tbody>
            {node.children.map((c) => (
              <tr key={c.id} class="clickable" data-row-id={c.id} onClick={() => onPick(c)}>
                <td>
                  <span class="swatch" style={{ background: index.colour(c.id) }} />
                  <button type="button" class="link" onClick={(e) => (e.stopPropagation(), onPick(c))}>
                    {c.name}
                  </button>
                </td>
                <td class="muted">{c.description}</td>
                <td class="num">{fmtInt(c.count)}</td>
                <td class="num">
                  <span class="bar" style={{ width: `${Math.round(c.share * 60)}px` }} /> {fmtPct(c.share)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const GUIDE_KEY = 'errormap.guide.dismissed';

function guideDismissed(): boolean {
  try {
    return localStorage.getItem(GUIDE_KEY) === '1';
  } catch {
    return false; // storage refused (a file:// page in some browsers): show the guide, dismissal lasts the visit
  }
}

/** What the map shows, where to click, what the intervals mean; dismissed once, remembered in this browser. */
function FirstRunGuide({ overview }: { overview: Overview }) {
  const [hidden, setHidden] = useState(guideDismissed);
  if (hidden) return null;
  const dismiss = () => {
    setHidden(true);
    try {
      localStorage.setItem(GUIDE_KEY, '1');
    } catch {
      // not remembered: the guide returns on the next visit
    }
  };
  const { summary } = overview;
  return (
    <aside class="panel guide" aria-label="How to read this map">
      <button type="button" class="guide-close" onClick={dismiss} aria-label="Dismiss the guide">
        ×
      </button>
      <h2>How to read this map</h2>
      <ul>
        <li>
          <strong>The map</strong> sorts {fmtInt(summary.failureCount)} analysed failures of {summary.models.length} models into a tree of
          error categories built from the judge's analyses. Bar height is the number of failures.
        </li>
        <li>
          <strong>Click</strong> a category to zoom in (the leftmost bar zooms out), <em>Show failures</em> to read them beside every other
          model's output on the same example, <em>Signatures</em> for the model × category heatmap, <em>Compare models</em> for two models
          side by side with exact tests.
        </li>
        <li>
          <strong>Intervals</strong> are 95%: a share of 12% [8%–17%] means the data are consistent with any true share in that range.
          Heatmap cells marked ▲ or ▼ differ from the other models beyond chance, after correcting for the many cells tested.
        </li>
      </ul>
      <button type="button" class="button" onClick={dismiss}>
        Got it
      </button>
    </aside>
  );
}
