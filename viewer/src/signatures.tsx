import { scaleSequential } from 'd3-scale';
import { interpolateBlues } from 'd3-scale-chromatic';
import { useMemo } from 'preact/hooks';
import { holmAdjust } from '../../src/chart/multiple-testing.js';
import type { HeatmapCell, HeatmapTable, Overview, ViewNode } from '../../src/report/view-data.js';
import { datasetOfGroup, modelOfGroup } from '../../src/report/view-data.js';
import { categoryLevel, LevelBreadcrumb, levelParam, RowCategory } from './category-level.js';
import { FilterSelect } from './filter-select.js';
import { fmtInt, fmtP, fmtPct } from './format.js';
import { Profiles } from './profiles.js';
import { navigate, routeHash } from './route.js';
import type { DataSource } from './source.js';
import { indexTree } from './tree-index.js';

/** Significance level of the heatmap's marks (Holm-corrected across the cells shown). */
const ALPHA = 0.05;
/** Angle of the column labels, and the font they are drawn in (for their measured length). */
const LABEL_ANGLE = 60;
/** Narrowest column (CSS min-width of the densest layout) plus border spacing: how far apart labels start at least. */
const COLUMN_PITCH = 45;
const LABEL_FONT = '500 12.5px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/** How the columns are laid out: models within each dataset, models over all datasets, or datasets. */
type Columns = 'per-dataset' | 'pooled' | 'datasets';

interface Column {
  /** Index in the table's groups. */
  at: number;
  label: string;
  /** Link filters for the cell's failures. */
  filter: Record<string, string>;
  /** The dataset heading the column sits under (models per dataset only). */
  dataset?: string;
}

export function cellTitle(group: string, category: string, c: HeatmapCell, pHolm?: number): string {
  const lines = [
    `${group} · ${category}`,
    `${fmtInt(c.count)} of ${fmtInt(c.n)} analysed failures: share ${fmtPct(c.share)} (95% CI ${fmtPct(c.ciLow)}–${fmtPct(c.ciHigh)})`,
    c.incidence === undefined
      ? 'incidence unknown (no prediction count for this group)'
      : `incidence ${c.incidence.toFixed(2)} per 100 predictions (95% CI ${(c.incidenceLow ?? 0).toFixed(2)}–${(c.incidenceHigh ?? 0).toFixed(2)})`,
  ];
  if (c.p !== undefined && c.peerShare !== undefined)
    lines.push(
      `peers pooled: ${fmtPct(c.peerShare)}; Fisher exact p ${fmtP(c.p)}${pHolm === undefined ? '' : `, Holm-corrected ${fmtP(pHolm)}${pHolm < ALPHA ? ' (differs beyond chance)' : ''}`}`,
    );
  return lines.join('\n');
}

/** Whether the datasets were run on different sets of models (then pooling them mixes benchmarks). */
export function modelSetsDiffer(groups: readonly string[]): boolean {
  const sets = new Map<string, string[]>();
  for (const g of groups) sets.set(datasetOfGroup(g), [...(sets.get(datasetOfGroup(g)) ?? []), modelOfGroup(g)]);
  const keys = new Set([...sets.values()].map((models) => [...models].sort().join('\u0000')));
  return keys.size > 1;
}

function columnsOf(table: HeatmapTable, columns: Columns, within: string | undefined): Column[] {
  if (columns === 'datasets') return table.groups.map((g, at) => ({ at, label: g, filter: { dataset: g } }));
  if (columns === 'pooled') return table.groups.map((g, at) => ({ at, label: g, filter: { model: g } }));
  return table.groups
    .map((g, at) => ({ at, label: modelOfGroup(g), dataset: datasetOfGroup(g), filter: { model: modelOfGroup(g), dataset: datasetOfGroup(g) } }))
    .filter((c) => !within || c.dataset === within)
    .sort((x, y) => (x.dataset < y.dataset ? -1 : x.dataset > y.dataset ? 1 : x.label < y.label ? -1 : x.label > y.label ? 1 : 0));
}

/** Holm-corrected p of every tested cell shown (rows × columns), keyed "row id / column index". */
function correctedP(rows: readonly ViewNode[], columns: readonly Column[], table: HeatmapTable): Map<string, number> {
  const keys: string[] = [];
  const ps: number[] = [];
  for (const r of rows)
    for (const c of columns) {
      const p = table.cells[r.id]?.[c.at]?.p;
      if (p === undefined) continue;
      keys.push(`${r.id}/${c.at}`);
      ps.push(p);
    }
  const adjusted = holmAdjust(ps);
  return new Map(keys.map((k, i) => [k, adjusted[i]]));
}

let measureContext: CanvasRenderingContext2D | null | undefined;
/** Drawn width of a column label in pixels (estimated when the canvas is unavailable). */
function labelWidth(text: string): number {
  measureContext ??= document.createElement('canvas').getContext('2d');
  if (!measureContext) return text.length * 7.5;
  measureContext.font = LABEL_FONT;
  return measureContext.measureText(text).width;
}

/**
 * The failure signatures heatmap: categories × models (within each dataset, or pooled) or datasets; the
 * share (or incidence) and count in each cell, its interval on hover or always; cells that differ from
 * the pooled share of their peers beyond chance are marked, with a caption counting them.
 */
export function Signatures({ overview, source, params }: { overview: Overview; source: DataSource; params: Record<string, string> }) {
  const index = useMemo(() => indexTree(overview.taxonomy), [overview]);
  const focus = categoryLevel(index, params.node);
  const { heatmap } = overview;
  const differ = useMemo(() => modelSetsDiffer(heatmap.byModelDataset.groups), [heatmap]);
  const datasets = useMemo(() => [...new Set(heatmap.byModelDataset.groups.map(datasetOfGroup))].sort(), [heatmap]);
  const columns: Columns =
    params.by === 'dataset'
      ? 'datasets'
      : params.group === 'pooled'
        ? 'pooled'
        : params.group === 'dataset' || differ || (params.dataset && datasets.includes(params.dataset))
          ? 'per-dataset'
          : 'pooled';
  const within = columns === 'per-dataset' && datasets.includes(params.dataset) ? params.dataset : undefined;
  const metric = params.metric === 'incidence' ? 'incidence' : 'share';
  const intervals = params.ci === '1';
  const table = columns === 'datasets' ? heatmap.byDataset : columns === 'pooled' ? heatmap.byModel : heatmap.byModelDataset;
  const cols = useMemo(() => columnsOf(table, columns, within), [table, columns, within]);
  const rows = focus.children;
  const adjusted = useMemo(() => correctedP(rows, cols, table), [rows, cols, table]);
  const tested = adjusted.size;
  const marked = [...adjusted.values()].filter((p) => p < ALPHA).length;
  const value = (c: HeatmapCell) => (metric === 'share' ? c.share : (c.incidence ?? 0));
  const max = Math.max(1e-9, ...rows.flatMap((r) => cols.map((c) => table.cells[r.id]?.[c.at]).map((c) => (c ? value(c) : 0))));
  const colour = scaleSequential(interpolateBlues).domain([0, max * 1.15]);
  const set = (patch: Record<string, string | undefined>) =>
    navigate('signatures', {
      node: levelParam(index, focus),
      by: params.by,
      group: params.group,
      metric: params.metric,
      ci: params.ci,
      dataset: within,
      ...patch,
    });
  const show = (c: HeatmapCell) => (metric === 'share' ? fmtPct(c.share) : c.incidence === undefined ? '–' : c.incidence.toFixed(2));
  const interval = (c: HeatmapCell) =>
    metric === 'share'
      ? `${fmtPct(c.ciLow)}–${fmtPct(c.ciHigh)}`
      : c.incidenceLow === undefined
        ? ''
        : `${c.incidenceLow.toFixed(2)}–${(c.incidenceHigh ?? 0).toFixed(2)}`;
  const longest = Math.max(0, ...cols.map((c) => labelWidth(c.label)));
  const angle = (LABEL_ANGLE * Math.PI) / 180;
  const headHeight = Math.ceil(longest * Math.sin(angle)) + 14;
  // Room right of the last column for the labels that run past it (a label runs over the columns to its right).
  const overhang = Math.ceil(Math.max(0, ...cols.map((c, i) => labelWidth(c.label) * Math.cos(angle) - (cols.length - 1 - i) * COLUMN_PITCH)));
  const groupsByDataset = columns === 'per-dataset' ? datasetSpans(cols) : [];
  const peers = columns === 'datasets' ? 'the other datasets' : columns === 'pooled' ? 'the other models' : 'the other models on the same dataset';

  return (
    <div class="signatures">
      <div class="toolbar">
        <LevelBreadcrumb index={index} level={focus} onPick={(n) => set({ node: levelParam(index, n) })} />
        <div class="filters wrap">
          <div class="segmented" role="group" aria-label="Columns">
            <button type="button" aria-pressed={columns === 'per-dataset'} onClick={() => set({ by: undefined, group: 'dataset' })}>
              Models per dataset
            </button>
            <button type="button" aria-pressed={columns === 'pooled'} onClick={() => set({ by: undefined, group: 'pooled', dataset: undefined })}>
              Models, datasets pooled
            </button>
            <button type="button" aria-pressed={columns === 'datasets'} onClick={() => set({ by: 'dataset', group: undefined, dataset: undefined })}>
              Datasets
            </button>
          </div>
          {columns !== 'datasets' && datasets.length > 1 && (
            <FilterSelect
              label="Within"
              ariaLabel="Within dataset"
              value={within}
              allLabel="every dataset"
              options={datasets}
              onChange={(dataset) => set({ dataset, group: dataset ? 'dataset' : params.group })}
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
          <label class="check">
            <input type="checkbox" checked={intervals} onChange={(e) => set({ ci: (e.target as HTMLInputElement).checked ? '1' : undefined })} />{' '}
            Show 95% intervals
          </label>
        </div>
      </div>
      <section class="panel">
        <h2>
          {columns === 'datasets' ? 'Failure signatures per dataset' : 'Failure signatures per model'}
          {within && <span class="muted"> · within {within}</span>}
          {columns === 'per-dataset' && !within && <span class="muted"> · grouped by dataset</span>}
        </h2>
        <p class="muted">
          {metric === 'share'
            ? `Share of each ${columns === 'datasets' ? 'dataset' : 'model'}'s analysed failures that fall in a category (each failure weighted by its sampling ratio), with the number of failures below it.`
            : `Estimated failures in a category per 100 predictions (share × failure rate × 100), with the number of failures below it.`}{' '}
          Hover a cell for its 95% Wilson interval and test; click it to list those failures; click a category to go one level down.
          {differ && columns === 'pooled' && ' These datasets were run on different models: pooled columns partly show which benchmark a model ran on.'}
        </p>
        <p class="heatmap-caption" data-marked={marked} data-tested={tested}>
          <strong>
            {marked} of {tested} cells
          </strong>{' '}
          differ from the pooled share of {peers} beyond chance (Fisher's exact test per cell, Holm-corrected across the {tested} tested cells of
          this grid, α = {ALPHA}): <span class="sig-key up">▲</span> more often, <span class="sig-key down">▼</span> less often than the peers.
        </p>
        <div class="heatmap-wrap">
          <table class={cols.length > 18 ? 'heatmap dense' : cols.length > 10 ? 'heatmap compact' : 'heatmap'} data-metric={metric} data-by={columns === 'datasets' ? 'dataset' : 'model'} data-group={columns}>
            <thead>
              {groupsByDataset.length > 0 && (
                <tr class="dataset-row">
                  <th class="corner" />
                  {groupsByDataset.map((g) => (
                    <th key={g.dataset} colSpan={g.span} class="dataset-head" title={g.dataset}>
                      {breakable(g.dataset)}
                    </th>
                  ))}
                  <th class="overhang" />
                </tr>
              )}
              <tr>
                <th class="corner">Category</th>
                {cols.map((c, i) => (
                  <th
                    key={c.at}
                    class={`col-head${groupsByDataset.some((g) => g.first === i) ? ' group-start' : ''}`}
                    style={{ height: `${headHeight}px` }}
                    title={c.dataset ? `${c.label} on ${c.dataset}` : c.label}
                  >
                    <span class="col-label" style={{ transform: `rotate(-${LABEL_ANGLE}deg)` }}>
                      {c.label}
                    </span>
                  </th>
                ))}
                <th class="overhang" style={{ width: `${overhang}px`, minWidth: `${overhang}px` }} />
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <th class="row-head" title={r.description}>
                    <RowCategory index={index} node={r} onOpen={(n) => set({ node: n.id })} />
                  </th>
                  {cols.map((col, i) => {
                    const c = table.cells[r.id]?.[col.at];
                    const start = groupsByDataset.some((g) => g.first === i) ? ' group-start' : '';
                    if (!c) return <td key={col.at} class={`heat none${start}`} />;
                    const v = value(c);
                    const pHolm = adjusted.get(`${r.id}/${col.at}`);
                    const sig = pHolm !== undefined && pHolm < ALPHA;
                    const up = c.peerShare !== undefined && c.share > c.peerShare;
                    return (
                      <td
                        key={col.at}
                        class={`heat${start}${sig ? ` sig ${up ? 'up' : 'down'}` : ''}`}
                        data-significant={sig ? (up ? 'up' : 'down') : undefined}
                        title={cellTitle(col.dataset ? `${col.label} × ${col.dataset}` : col.label, r.name, c, pHolm)}
                        style={{ background: colour(v), color: v > max * 0.55 ? '#fff' : '#1d2433' }}
                      >
                        <a href={routeHash('failures', { node: r.id, ...col.filter })}>
                          <span class="cell-value">
                            {show(c)}
                            {sig && <span class="sig-key">{up ? '▲' : '▼'}</span>}
                          </span>
                          <span class="cell-count">{fmtInt(c.count)}</span>
                          {intervals && <span class="cell-ci">{interval(c)}</span>}
                        </a>
                      </td>
                    );
                  })}
                  <td class="overhang" />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <Legend max={max} metric={metric} colour={(v) => colour(v)} />
      </section>
      {columns === 'datasets' && <Profiles source={source} />}
    </div>
  );
}

/** A name that may wrap after its underscores, hyphens, dots and slashes (never inside a word part). */
function breakable(name: string) {
  return name.split(/(?<=[_\-./])/).map((part, i) => (
    <span key={i}>
      {i > 0 && <wbr />}
      {part}
    </span>
  ));
}

/** Consecutive columns of one dataset: its heading's span, and the index of its first column. */
function datasetSpans(cols: readonly Column[]): { dataset: string; span: number; first: number }[] {
  const spans: { dataset: string; span: number; first: number }[] = [];
  cols.forEach((c, i) => {
    const last = spans.at(-1);
    if (last && last.dataset === c.dataset) last.span++;
    else spans.push({ dataset: c.dataset ?? '', span: 1, first: i });
  });
  return spans;
}

function Legend({ max, metric, colour }: { max: number; metric: string; colour: (v: number) => string }) {
  const steps = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  return (
    <div class="legend" aria-hidden="true">
      {steps.map((v) => (
        <span key={v}>
          <i style={{ background: colour(v) }} />
          {metric === 'share' ? fmtPct(v) : v.toFixed(2)}
        </span>
      ))}
    </div>
  );
}
