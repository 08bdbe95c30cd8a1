import { useMemo } from 'preact/hooks';
import type { CategoryComparison } from '../../src/chart/compare.js';
import type { ComparisonView, ExampleList, Overview } from '../../src/report/view-data.js';
import { categoryLevel, LevelBreadcrumb, levelParam, RowCategory } from './category-level.js';
import { fmtInt, fmtP, fmtPct } from './format.js';
import { useLoad } from './load.js';
import { navigate, routeHash } from './route.js';
import type { DataSource } from './source.js';
import { indexTree, type TreeIndex } from './tree-index.js';

const COLOURS = ['#2f6db5', '#d9822b'];

/**
 * Two models category by category, as `errormap compare` computes it (src/chart/compare.ts): counts,
 * shares, incidence per 100 predictions with the difference's interval, the exact test's p and its Holm
 * correction; significant rows first; and the examples where one model fails and the other is right.
 */
export function ComparePanel({ overview, source, params }: { overview: Overview; source: DataSource; params: Record<string, string> }) {
  const index = useMemo(() => indexTree(overview.taxonomy), [overview]);
  const models = overview.heatmap.byModel.groups;
  const datasetsOf = useMemo(() => {
    const of = new Map<string, Set<string>>();
    for (const p of overview.summary.population) of.set(p.model, (of.get(p.model) ?? new Set()).add(p.dataset));
    return of;
  }, [overview]);
  const shareData = (x: string, y: string) => [...(datasetsOf.get(x) ?? [])].some((d) => datasetsOf.get(y)?.has(d));
  const a = models.includes(params.a) ? params.a : models[0];
  // By default B is the first other model run on a dataset A ran on: only such pairs can be compared.
  const b =
    models.includes(params.b) && params.b !== a
      ? params.b
      : (models.find((m) => m !== a && shareData(a, m)) ?? models.find((m) => m !== a) ?? a);
  const focus = categoryLevel(index, params.node);
  const depth = focus.depth + 1;
  const loaded = useLoad(() => source.compare(a, b, depth), `${a}\u0000${b}\u0000${depth}`);
  const set = (patch: Record<string, string | undefined>) => navigate('compare', { a, b, node: levelParam(index, focus), ...patch });

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
                onChange={(e) => set({ [i === 0 ? 'a' : 'b']: (e.target as HTMLSelectElement).value })}
              >
                {models.map((x) => (
                  <option key={x} value={x}>
                    {i === 1 && x !== a && !shareData(a, x) ? `${x} (no dataset shared with ${a})` : x}
                  </option>
                ))}
              </select>
            </label>
          ))}
          <button type="button" class="secondary small-button" onClick={() => set({ a: b, b: a })} aria-label="Swap the models">
            ⇄ swap
          </button>
        </div>
      </div>
      <section class="panel">
        <h2>
          <span style={{ color: COLOURS[0] }}>{a}</span> <span class="muted">vs</span> <span style={{ color: COLOURS[1] }}>{b}</span>
        </h2>
        {loaded.state === 'loading' && <p class="muted">Comparing…</p>}
        {loaded.state === 'error' && <p class="error">Could not compare: {loaded.error}</p>}
        {loaded.state === 'ready' &&
          ('error' in loaded.value ? (
            <p class="empty compare-error">{loaded.value.error}</p>
          ) : (
            <CompareTable comparison={loaded.value.comparison} index={index} focusId={focus.id} onOpen={(id) => set({ node: id })} />
          ))}
      </section>
    </div>
  );
}

/** Rows of the focused level, significant first (smallest corrected p), then the rest by p. */
function rowsOf(c: ComparisonView, index: TreeIndex, focusId: string): CategoryComparison[] {
  return c.categories
    .filter((r) => index.parent.get(r.categoryId)?.id === focusId)
    .sort((x, y) => Number(y.significant) - Number(x.significant) || x.pHolm - y.pHolm || x.p - y.p);
}

function CompareTable({
  comparison: c,
  index,
  focusId,
  onOpen,
}: {
  comparison: ComparisonView;
  index: TreeIndex;
  focusId: string;
  onOpen: (id: string) => void;
}) {
  const rows = rowsOf(c, index, focusId);
  const significant = rows.filter((r) => r.significant).length;
  const examples = (lists: ExampleList[], id: string) => lists.find((l) => l.categoryId === id);
  const span = Math.max(1, ...rows.flatMap((r) => [Math.abs(r.differenceLow ?? 0), Math.abs(r.differenceHigh ?? 0)]));
  return (
    <>
      <p class="muted">
        {c.test === 'paired (exact McNemar)'
          ? `Paired test on ${fmtInt(c.pairs)} examples both models answered (exact McNemar on the examples where only one of them failed in the category).`
          : "Unpaired test: Fisher's exact test of each model's failures in the category against its predictions."}{' '}
        Datasets: {c.datasets.join(', ')}. p corrected with Holm across the {fmtInt(c.categories.length)} categories at this depth; a row is
        significant when the corrected p is below {c.alpha}. Incidence = estimated failures in the category per 100 predictions; the
        difference (A − B) has Newcombe's 95% interval.
      </p>
      <p class="compare-caption">
        <strong>{significant}</strong> of {rows.length} categories here differ beyond chance.
      </p>
      {c.warnings.length > 0 && (
        <ul class="run-warnings">
          {c.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      {rows.length === 0 ? (
        <p class="empty">Neither model has a failure in these categories.</p>
      ) : (
        <table class="grid compare-table">
          <thead>
            <tr>
              <th>Category</th>
              <th class="num">A failures</th>
              <th class="num">B failures</th>
              <th class="num">A per 100</th>
              <th class="num">B per 100</th>
              <th class="bars-head">Difference A − B per 100 [95% CI]</th>
              <th class="num">p</th>
              <th class="num">Holm p</th>
              <th>A fails, B right · B fails, A right</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const node = index.byId.get(r.categoryId);
              return (
                <tr key={r.categoryId} data-compare-id={r.categoryId} class={r.significant ? 'significant' : undefined}>
                  <td>
                    {node ? <RowCategory index={index} node={node} onOpen={(n) => onOpen(n.id)} /> : r.categoryPath.join(' › ')}
                    {r.significant && (
                      <span class="sig-mark" title="Differs beyond chance (Holm-corrected p below alpha)">
                        {' '}
                        ●
                      </span>
                    )}
                  </td>
                  <td class="num">
                    {fmtInt(r.a.count)} <span class="muted">({fmtPct(r.a.share)})</span>
                  </td>
                  <td class="num">
                    {fmtInt(r.b.count)} <span class="muted">({fmtPct(r.b.share)})</span>
                  </td>
                  <td class="num">{r.a.incidence === undefined ? '–' : r.a.incidence.toFixed(2)}</td>
                  <td class="num">{r.b.incidence === undefined ? '–' : r.b.incidence.toFixed(2)}</td>
                  <td>
                    <DifferenceBar row={r} span={span} />
                  </td>
                  <td class="num p-value">{fmtP(r.p)}</td>
                  <td class={r.significant ? 'num p-holm strong' : 'num p-holm'}>{fmtP(r.pHolm)}</td>
                  <td class="examples-cell">
                    <Examples list={examples(c.aFailsBSucceeds, r.categoryId)} who="a" />
                    <Examples list={examples(c.bFailsASucceeds, r.categoryId)} who="b" />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <p class="muted small">
        Analyses that found no error are left out of the categories: {fmtInt(c.noError.a.hits)} of {fmtInt(c.noError.a.n)} for A,{' '}
        {fmtInt(c.noError.b.hits)} of {fmtInt(c.noError.b.n)} for B.
      </p>
    </>
  );
}

/** The difference of incidences with its interval, on an axis centred at zero shared by every row. */
function DifferenceBar({ row: r, span }: { row: CategoryComparison; span: number }) {
  if (r.difference === undefined) return <span class="muted">–</span>;
  const width = 180;
  const x = (v: number) => width / 2 + (v / span) * (width / 2 - 4);
  const label = `${r.difference >= 0 ? '+' : '−'}${Math.abs(r.difference).toFixed(2)} [${(r.differenceLow ?? 0).toFixed(2)}, ${(r.differenceHigh ?? 0).toFixed(2)}]`;
  return (
    <span class="difference">
      <svg viewBox={`0 0 ${width} 16`} width={width} height={16} role="img" aria-label={label}>
        <line x1={width / 2} x2={width / 2} y1={0} y2={16} stroke="#c3c9d4" />
        <line x1={x(r.differenceLow ?? 0)} x2={x(r.differenceHigh ?? 0)} y1={8} y2={8} stroke="#1d2433" stroke-width={1.5} />
        <circle cx={x(r.difference)} cy={8} r={4} fill={r.difference >= 0 ? COLOURS[0] : COLOURS[1]} />
      </svg>
      <span class="num small">{label}</span>
    </span>
  );
}

/** The first examples of one direction, each opening the failure beside every model's output on it. */
function Examples({ list, who }: { list?: ExampleList; who: 'a' | 'b' }) {
  if (!list || list.total === 0) return <div class="muted small examples">{who === 'a' ? 'A fails, B right: none' : 'B fails, A right: none'}</div>;
  return (
    <div class={`examples examples-${who}`}>
      <span class="small">
        <span class="swatch" style={{ background: COLOURS[who === 'a' ? 0 : 1] }} />
        {fmtInt(list.total)}:{' '}
      </span>
      {list.examples.map((e, i) => (
        <span key={e.failureId}>
          {i > 0 && ', '}
          <a class="example-link mono" href={routeHash('failures', { open: e.failureId })} title={e.errorTitle}>
            {e.exampleId}
          </a>
        </span>
      ))}
      {list.total > list.examples.length && <span class="muted small"> +{fmtInt(list.total - list.examples.length)} more</span>}
    </div>
  );
}
