import { scaleSequential } from 'd3-scale';
import { interpolateBlues } from 'd3-scale-chromatic';
import { useMemo } from 'preact/hooks';
import type { HeatmapCell, Overview } from '../../src/report/view-data.js';
import { fmtInt, fmtPct } from './format.js';
import { navigate, routeHash } from './route.js';
import { indexTree } from './tree-index.js';

export function cellTitle(group: string, category: string, c: HeatmapCell): string {
  return [
    `${group} · ${category}`,
    `share ${fmtPct(c.share)} (95% CI ${fmtPct(c.lo)}–${fmtPct(c.hi)}), ${fmtInt(c.k)} of ${fmtInt(c.n)} failures`,
    `incidence ${c.incidence.toFixed(2)} per 100 predictions (95% CI ${c.incLo.toFixed(2)}–${c.incHi.toFixed(2)})`,
  ].join('\n');
}

/** Model × category (or dataset × category) heatmap of shares or incidences, with intervals on hover. */
export function Signatures({ overview, params }: { overview: Overview; params: Record<string, string> }) {
  const index = useMemo(() => indexTree(overview.taxonomy), [overview]);
  const parent = index.byId.get(params.node ?? '') ?? index.root;
  const focus = parent.children.length > 0 ? parent : (index.parent.get(parent.id) ?? index.root);
  const by = params.by === 'dataset' ? 'dataset' : 'model';
  const metric = params.metric === 'incidence' ? 'incidence' : 'share';
  const table = by === 'model' ? overview.heatmap.byModel : overview.heatmap.byDataset;
  const rows = focus.children;
  const value = (c: HeatmapCell) => (metric === 'share' ? c.share : c.incidence);
  const max = Math.max(1e-9, ...rows.flatMap((r) => (table.cells[r.id] ?? []).map(value)));
  const colour = scaleSequential(interpolateBlues).domain([0, max * 1.15]);
  const set = (patch: Record<string, string | undefined>) =>
    navigate('signatures', {
      node: focus.id === index.root.id ? undefined : focus.id,
      by: params.by,
      metric: params.metric,
      ...patch,
    });
  const show = (c: HeatmapCell) => (metric === 'share' ? fmtPct(c.share, 0) : c.incidence.toFixed(1));

  return (
    <div class="signatures">
      <div class="toolbar">
        <nav class="breadcrumb" aria-label="Category level">
          {index.ancestry(focus.id).map((n, i) => (
            <span key={n.id}>
              {i > 0 && <span class="sep">›</span>}
              <button type="button" class="link" onClick={() => set({ node: n.id === index.root.id ? undefined : n.id })}>
                {n.depth === 0 ? 'Top-level categories' : n.name}
              </button>
            </span>
          ))}
        </nav>
        <div class="filters">
          <div class="segmented" role="group" aria-label="Rows per">
            <button type="button" aria-pressed={by === 'model'} onClick={() => set({ by: undefined })}>
              Models
            </button>
            <button type="button" aria-pressed={by === 'dataset'} onClick={() => set({ by: 'dataset' })}>
              Datasets
            </button>
          </div>
          <div class="segmented" role="group" aria-label="Metric">
            <button type="button" aria-pressed={metric === 'share'} onClick={() => set({ metric: undefined })}>
              Share
            </button>
            <button type="button" aria-pressed={metric === 'incidence'} onClick={() => set({ metric: 'incidence' })}>
              Incidence
            </button>
          </div>
        </div>
      </div>
      <section class="panel">
        <h2>{by === 'model' ? 'Failure signatures' : 'Benchmark profiles'}</h2>
        <p class="muted">
          {metric === 'share'
            ? `Share of each ${by}'s analysed failures that fall in a category.`
            : `Failures in a category per 100 predictions of each ${by} (share × failure rate × 100).`}{' '}
          Hover a cell for its 95% Wilson interval; click it to list those failures; click a category to go one level down.
        </p>
        <div class="heatmap-wrap">
          <table class="heatmap" data-metric={metric} data-by={by}>
            <thead>
              <tr>
                <th class="corner">Category</th>
                {table.groups.map((g) => (
                  <th key={g} class="col-head" title={g}>
                    <span>{g}</span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <th class="row-head" title={r.description}>
                    <span class="swatch" style={{ background: index.colour(r.id) }} />
                    {r.children.length > 0 ? (
                      <button type="button" class="link" onClick={() => set({ node: r.id })}>
                        {r.name} ›
                      </button>
                    ) : (
                      r.name
                    )}
                  </th>
                  {table.groups.map((g, gi) => {
                    const c = table.cells[r.id]?.[gi];
                    if (!c) return <td key={g} />;
                    const v = value(c);
                    return (
                      <td
                        key={g}
                        class="heat"
                        title={cellTitle(g, r.name, c)}
                        style={{
                          background: colour(v),
                          color: v > max * 0.55 ? '#fff' : '#1d2433',
                        }}
                      >
                        <a href={routeHash('failures', { node: r.id, [by]: g })}>{show(c)}</a>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <Legend max={max} metric={metric} colour={(v) => colour(v)} />
      </section>
    </div>
  );
}

function Legend({ max, metric, colour }: { max: number; metric: string; colour: (v: number) => string }) {
  const steps = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  return (
    <div class="legend" aria-hidden="true">
      {steps.map((v) => (
        <span key={v}>
          <i style={{ background: colour(v) }} />
          {metric === 'share' ? fmtPct(v, 0) : v.toFixed(1)}
        </span>
      ))}
    </div>
  );
}
