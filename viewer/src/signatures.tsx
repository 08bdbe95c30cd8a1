import { scaleSequential } from 'd3-scale';
import { interpolateBlues } from 'd3-scale-chromatic';
import { useMemo } from 'preact/hooks';
import type { HeatmapCell, HeatmapTable, Overview } from '../../src/report/view-data.js';
import { GROUP_SEPARATOR } from '../../src/report/view-data.js';
import { categoryLevel, LevelBreadcrumb, levelParam, RowCategory } from './category-level.js';
import { FilterSelect } from './filter-select.js';
import { fmtInt, fmtPct } from './format.js';
import { Profiles } from './profiles.js';
import { navigate, routeHash } from './route.js';
import type { DataSource } from './source.js';
import { indexTree } from './tree-index.js';

export function cellTitle(group: string, category: string, c: HeatmapCell): string {
  return [
    `${group} · ${category}`,
    `share ${fmtPct(c.share)} (95% CI ${fmtPct(c.ciLow)}–${fmtPct(c.ciHigh)}), ${fmtInt(c.count)} of ${fmtInt(c.n)} analysed failures`,
    c.incidence === undefined
      ? 'incidence unknown (no prediction count for this group)'
      : `incidence ${c.incidence.toFixed(2)} per 100 predictions (95% CI ${(c.incidenceLow ?? 0).toFixed(2)}–${(c.incidenceHigh ?? 0).toFixed(2)})`,
  ].join('\n');
}

/** The model × category table within one dataset, from the model × dataset signatures; columns named by model. */
function withinDataset(table: HeatmapTable, dataset: string): HeatmapTable {
  const suffix = `${GROUP_SEPARATOR}${dataset}`;
  const keep = table.groups.map((g, i) => [g, i] as const).filter(([g]) => g.endsWith(suffix));
  const cells: HeatmapTable['cells'] = {};
  for (const [id, row] of Object.entries(table.cells)) cells[id] = keep.map(([, i]) => row[i]);
  return { groups: keep.map(([g]) => g.slice(0, -suffix.length)), cells };
}

/** Model × category (or dataset × category) heatmap of shares or incidences, with intervals on hover. */
export function Signatures({ overview, source, params }: { overview: Overview; source: DataSource; params: Record<string, string> }) {
  const index = useMemo(() => indexTree(overview.taxonomy), [overview]);
  const focus = categoryLevel(index, params.node);
  const by = params.by === 'dataset' ? 'dataset' : 'model';
  const metric = params.metric === 'incidence' ? 'incidence' : 'share';
  const datasets = useMemo(
    () =>
      [
        ...new Set(overview.heatmap.byModelDataset.groups.map((g) => g.slice(g.lastIndexOf(GROUP_SEPARATOR) + GROUP_SEPARATOR.length))),
      ].sort(),
    [overview],
  );
  const within = by === 'model' && datasets.includes(params.dataset) ? params.dataset : undefined;
  const table = useMemo(
    () =>
      within
        ? withinDataset(overview.heatmap.byModelDataset, within)
        : by === 'model'
          ? overview.heatmap.byModel
          : overview.heatmap.byDataset,
    [overview, by, within],
  );
  const rows = focus.children;
  const value = (c: HeatmapCell) => (metric === 'share' ? c.share : (c.incidence ?? 0));
  const max = Math.max(1e-9, ...rows.flatMap((r) => (table.cells[r.id] ?? []).map((c) => (c ? value(c) : 0))));
  const colour = scaleSequential(interpolateBlues).domain([0, max * 1.15]);
  const set = (patch: Record<string, string | undefined>) =>
    navigate('signatures', {
      node: levelParam(index, focus),
      by: params.by,
      metric: params.metric,
      dataset: within,
      ...patch,
    });
  const show = (c: HeatmapCell) => (metric === 'share' ? fmtPct(c.share, 0) : c.incidence === undefined ? '–' : c.incidence.toFixed(1));

  return (
    <div class="signatures">
      <div class="toolbar">
        <LevelBreadcrumb index={index} level={focus} onPick={(n) => set({ node: levelParam(index, n) })} />
        <div class="filters">
          <div class="segmented" role="group" aria-label="Rows per">
            <button type="button" aria-pressed={by === 'model'} onClick={() => set({ by: undefined })}>
              Models
            </button>
            <button type="button" aria-pressed={by === 'dataset'} onClick={() => set({ by: 'dataset', dataset: undefined })}>
              Datasets
            </button>
          </div>
          {by === 'model' && datasets.length > 1 && (
            <FilterSelect
              label="Within"
              ariaLabel="Within dataset"
              value={within}
              allLabel="all datasets"
              options={datasets}
              onChange={(dataset) => set({ dataset })}
            />
          )}
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
        <h2>
          {by === 'model' ? 'Failure signatures per model' : 'Failure signatures per dataset'}
          {within && <span class="muted"> · within {within}</span>}
        </h2>
        <p class="muted">
          {metric === 'share'
            ? `Share of each ${by}'s analysed failures that fall in a category, each failure weighted by its (dataset, model) sampling ratio.`
            : `Estimated failures in a category per 100 predictions of each ${by} (share × failure rate × 100).`}{' '}
          Hover a cell for its 95% Wilson interval; click it to list those failures; click a category to go one level down. Same numbers as
          the run's signatures.json.
        </p>
        <div class="heatmap-wrap">
          <table class={table.groups.length > 10 ? 'heatmap compact' : 'heatmap'} data-metric={metric} data-by={by}>
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
                    <RowCategory index={index} node={r} onOpen={(n) => set({ node: n.id })} />
                  </th>
                  {table.groups.map((g, gi) => {
                    const c = table.cells[r.id]?.[gi];
                    if (!c) return <td key={g} class="heat none" />;
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
                        <a href={routeHash('failures', { node: r.id, [by]: g, ...(within ? { dataset: within } : {}) })}>{show(c)}</a>
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
      {by === 'dataset' && <Profiles source={source} />}
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
