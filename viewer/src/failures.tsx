import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { FailurePage, FailureQuery, Overview, ViewNode } from '../../src/report/view-data.js';
import { PAGE_SIZE } from '../../src/report/view-data.js';
import { FailureDetailPanel } from './failure-detail.js';
import { FilterSelect } from './filter-select.js';
import { fmtInt, fmtScore } from './format.js';
import { navigate, parseHash } from './route.js';
import type { DataSource } from './source.js';
import { indexTree, type TreeIndex } from './tree-index.js';

const STATUS_LABEL: Record<string, string> = {
  error: '',
  'no-error': 'no error',
  unanalysed: 'not analysed',
  pending: 'pending',
};

type SetParams = (patch: Record<string, string | number | undefined>, replace?: boolean) => void;

/** Failures of a category, filtered by model, dataset and text; one opens beside the list. */
export function FailuresView({ overview, source, params }: { overview: Overview; source: DataSource; params: Record<string, string> }) {
  const index = useMemo(() => indexTree(overview.taxonomy), [overview]);
  const node = index.byId.get(params.node ?? '') ?? index.root;
  const page = Math.max(0, Number.parseInt(params.page ?? '0', 10) || 0);
  const { result, error } = useFailurePage(source, {
    node: node.id,
    model: params.model,
    dataset: params.dataset,
    q: params.q,
    offset: page * PAGE_SIZE,
    limit: PAGE_SIZE,
  });
  // Read the URL at call time: the debounced search must not restore filters changed meanwhile.
  const set: SetParams = (patch, replace = false) =>
    navigate('failures', { ...parseHash(location.hash).params, page: undefined, ...patch }, replace);
  const categories = [index.root, ...index.atDepth(1), ...index.atDepth(2)];
  // On arrival (no failure chosen), open the first of the list so the right pane is never empty.
  const first = result?.rows[0]?.id;
  useEffect(() => {
    if (!params.open && first) set({ open: first, page: params.page }, true);
  }, [params.open, first]);

  return (
    <div class="failures">
      <FailureFilters overview={overview} params={params} node={node} categories={categories} set={set} />
      <div class="failures-grid">
        <FailureList result={result} error={error} node={node} page={page} params={params} set={set} index={index} />
        <section class="panel detail-panel" aria-label="Failure">
          {params.open ? (
            <FailureDetailPanel
              id={params.open}
              source={source}
              index={index}
              mode={overview.mode}
              rich={params.raw !== '1'}
              onRich={(rich) => set({ raw: rich ? undefined : '1', open: params.open, page: params.page }, true)}
            />
          ) : (
            <p class="empty">{result && result.total === 0 ? 'No failure to show.' : 'Loading…'}</p>
          )}
        </section>
      </div>
    </div>
  );
}

/** One page of failures for a query, fetched again whenever the query changes. */
function useFailurePage(source: DataSource, query: FailureQuery): { result: FailurePage | null; error: string | null } {
  const [result, setResult] = useState<FailurePage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { node, model, dataset, q, offset, limit } = query;
  useEffect(() => {
    let live = true;
    setError(null);
    source.failures({ node, model, dataset, q, offset, limit }).then(
      (r) => live && setResult(r),
      (e: unknown) => live && setError(String(e)),
    );
    return () => {
      live = false;
    };
  }, [source, node, model, dataset, q, offset, limit]);
  return { result, error };
}

function FailureFilters({
  overview,
  params,
  node,
  categories,
  set,
}: {
  overview: Overview;
  params: Record<string, string>;
  node: ViewNode;
  categories: ViewNode[];
  set: SetParams;
}) {
  const [text, setText] = useState(params.q ?? '');
  const timer = useRef<number | undefined>(undefined);
  const onText = (value: string) => {
    setText(value);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => set({ q: value || undefined }, true), 250);
  };
  return (
    <div class="toolbar">
      <div class="filters wrap">
        <label>
          Category
          <select
            value={node.id}
            onChange={(e) =>
              set({
                node: (e.target as HTMLSelectElement).value,
                open: undefined,
              })
            }
            aria-label="Category"
          >
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {`${'  '.repeat(Math.max(0, c.depth - 1))}${c.depth === 0 ? 'All categories' : c.name} (${fmtInt(c.count)})`}
              </option>
            ))}
            {!categories.includes(node) && <option value={node.id}>{node.name}</option>}
          </select>
        </label>
        <FilterSelect
          label="Model"
          value={params.model}
          allLabel="All models"
          options={overview.summary.models}
          onChange={(model) => set({ model })}
        />
        <FilterSelect
          label="Dataset"
          value={params.dataset}
          allLabel="All datasets"
          options={overview.summary.datasets}
          onChange={(dataset) => set({ dataset })}
        />
        <label class="grow">
          Search
          <input
            type="search"
            value={text}
            placeholder="Text in input, output, title…"
            onInput={(e) => onText((e.target as HTMLInputElement).value)}
            aria-label="Search failures"
          />
        </label>
      </div>
    </div>
  );
}

function FailureList({
  result,
  error,
  node,
  page,
  params,
  set,
  index,
}: {
  result: FailurePage | null;
  error: string | null;
  node: ViewNode;
  page: number;
  params: Record<string, string>;
  set: SetParams;
  index: TreeIndex;
}) {
  const pages = result ? Math.max(1, Math.ceil(result.total / PAGE_SIZE)) : 1;
  return (
    <section class="panel list-panel" aria-label="Failure list">
      <header class="list-head">
        <strong>{result ? `${fmtInt(result.total)} failures` : 'Loading…'}</strong>
        <span class="muted">in {node.depth === 0 ? 'all categories' : node.name} · largest category first, then model</span>
      </header>
      {error && <p class="error">{error}</p>}
      <ol class="failure-list">
        {result?.rows.map((r) => (
          <li key={r.id}>
            <button
              type="button"
              class={params.open === r.id ? 'failure-item open' : 'failure-item'}
              data-failure-id={r.id}
              data-leaf={r.leaf}
              data-model={r.model}
              onClick={() => set({ open: r.id, page: params.page })}
            >
              <span class="failure-title">{r.title || '(no title)'}</span>
              {index.byId.get(r.leaf) && (
                <span class="failure-leaf">
                  <span class="swatch" style={{ background: index.colour(r.leaf) }} />
                  {index.byId.get(r.leaf)?.name}
                </span>
              )}
              <span class="failure-meta">
                <span class="chip">{r.model}</span>
                <span class="chip light">{r.dataset}</span>
                <span class="muted">{r.exampleId}</span>
                <span class="muted">score {fmtScore(r.score)}</span>
                {STATUS_LABEL[r.status] && <span class="chip warn">{STATUS_LABEL[r.status]}</span>}
              </span>
            </button>
          </li>
        ))}
      </ol>
      {result && result.total === 0 && <p class="empty">No failure matches these filters.</p>}
      {pages > 1 && (
        <nav class="pager" aria-label="Pages">
          <button type="button" disabled={page === 0} onClick={() => set({ page: page - 1, open: params.open })}>
            ‹ Previous
          </button>
          <span>
            Page {page + 1} of {fmtInt(pages)}
          </span>
          <button type="button" disabled={page + 1 >= pages} onClick={() => set({ page: page + 1, open: params.open })}>
            Next ›
          </button>
        </nav>
      )}
    </section>
  );
}
