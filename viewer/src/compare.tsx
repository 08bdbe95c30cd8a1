import { useMemo } from 'preact/hooks';
import type { HeatmapCell, Overview } from '../../src/report/view-data.js';
import { categoryLevel, LevelBreadcrumb, levelParam, RowCategory } from './category-level.js';
import { fmtPct } from './format.js';
import { navigate } from './route.js';
import { cellTitle } from './signatures.js';
import { indexTree } from './tree-index.js';

const COLOURS = ['#2f6db5', '#d9822b'];

/** Two models side by side: share of each one's failures per category, with 95% intervals. */
export function ComparePanel({ overview, params }: { overview: Overview; params: Record<string, string> }) {
  const index = useMemo(() => indexTree(overview.taxonomy), [overview]);
  const models = overview.heatmap.byModel.groups;
  const a = models.includes(params.a) ? params.a : models[0];
  const b = models.includes(params.b) ? params.b : (models.find((m) => m !== a) ?? a);
  const focus = categoryLevel(index, params.node);
  const ia = models.indexOf(a);
  const ib = models.indexOf(b);
  const set = (patch: Record<string, string | undefined>) =>
    navigate('compare', {
      a,
      b,
      node: levelParam(index, focus),
      ...patch,
    });
  const rows = focus.children.map((n) => ({
    node: n,
    ca: overview.heatmap.byModel.cells[n.id]?.[ia] ?? undefined,
    cb: overview.heatmap.byModel.cells[n.id]?.[ib] ?? undefined,
  }));
  const max = Math.max(0.05, ...rows.flatMap((r) => [r.ca?.ciHigh ?? 0, r.cb?.ciHigh ?? 0]));

  if (models.length < 2)
    return (
      <section class="panel">
        <p class="empty">Comparing needs at least two models.</p>
      </section>
    );
  return (
    <div class="compare">
      <div class="toolbar">
        <LevelBreadcrumb index={index} level={focus} onPick={(n) => set({ node: levelParam(index, n) })} />
        <div class="filters">
          {[a, b].map((m, i) => (
            <label key={i}>
              <span class="swatch" style={{ background: COLOURS[i] }} />
              Model {i === 0 ? 'A' : 'B'}
              <select
                value={m}
                aria-label={`Model ${i === 0 ? 'A' : 'B'}`}
                onChange={(e) =>
                  set({
                    [i === 0 ? 'a' : 'b']: (e.target as HTMLSelectElement).value,
                  })
                }
              >
                {models.map((x) => (
                  <option key={x} value={x}>
                    {x}
                  </option>
                ))}
              </select>
            </label>
          ))}
        </div>
      </div>
      <section class="panel">
        <h2>
          {a} <span class="muted">vs</span> {b}
        </h2>
        <p class="muted">
          Share of each model's failures per category. Whiskers are 95% Wilson intervals; a difference is marked when they do not overlap.
        </p>
        <table class="grid compare-table">
          <thead>
            <tr>
              <th>Category</th>
              <th class="bars-head">Share of failures</th>
              <th class="num">{a}</th>
              <th class="num">{b}</th>
              <th class="num">Difference</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ node, ca, cb }) => {
              const apart = ca && cb && (ca.ciLow > cb.ciHigh || cb.ciLow > ca.ciHigh);
              return (
                <tr key={node.id} data-compare-id={node.id}>
                  <td>
                    <RowCategory index={index} node={node} onOpen={(n) => set({ node: n.id })} />
                  </td>
                  <td>
                    <svg class="pair" viewBox="0 0 300 30" width="300" height="30" role="img" aria-label={`${node.name}: ${a} vs ${b}`}>
                      {[ca, cb].map(
                        (c, i) =>
                          c && (
                            <Bar
                              key={i}
                              cell={c}
                              y={i * 15 + 2}
                              max={max}
                              colour={COLOURS[i]}
                              title={cellTitle(i === 0 ? a : b, node.name, c)}
                            />
                          ),
                      )}
                    </svg>
                  </td>
                  <td class="num">{ca ? fmtPct(ca.share) : '–'}</td>
                  <td class="num">{cb ? fmtPct(cb.share) : '–'}</td>
                  <td class={apart ? 'num diff strong' : 'num diff'}>
                    {ca && cb ? `${ca.share >= cb.share ? '+' : '−'}${fmtPct(Math.abs(ca.share - cb.share))}` : '–'}
                    {apart ? ' ●' : ''}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </div>
  );
}

function Bar({ cell, y, max, colour, title }: { cell: HeatmapCell; y: number; max: number; colour: string; title: string }) {
  const x = (v: number) => (v / max) * 290;
  return (
    <g>
      <title>{title}</title>
      <rect x={0} y={y} width={Math.max(1, x(cell.share))} height={11} rx={2} fill={colour} fill-opacity={0.85} />
      <line x1={x(cell.ciLow)} x2={x(cell.ciHigh)} y1={y + 5.5} y2={y + 5.5} stroke="#1d2433" stroke-width={1.2} />
      <line x1={x(cell.ciLow)} x2={x(cell.ciLow)} y1={y + 2} y2={y + 9} stroke="#1d2433" stroke-width={1.2} />
      <line x1={x(cell.ciHigh)} x2={x(cell.ciHigh)} y1={y + 2} y2={y + 9} stroke="#1d2433" stroke-width={1.2} />
    </g>
  );
}
