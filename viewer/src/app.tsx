import { useEffect, useState } from 'preact/hooks';
import type { Overview } from '../../src/report/view-data.js';
import { AuditView } from './audit.js';
import type { AuditClient } from './audit-client.js';
import { ComparePanel } from './compare-panel.js';
import { Explorer } from './explorer.js';
import { FailuresView } from './failures.js';
import { NoiseView } from './noise.js';
import { routeHash, useRoute } from './route.js';
import { RunInfo } from './run-info.js';
import { Signatures } from './signatures.js';
import type { DataSource } from './source.js';

const TABS: { view: string; label: string; needsFailures?: boolean; needsAudit?: boolean }[] = [
  { view: 'explorer', label: 'Taxonomy' },
  { view: 'failures', label: 'Failures', needsFailures: true },
  { view: 'signatures', label: 'Signatures', needsFailures: true },
  { view: 'compare', label: 'Compare models', needsFailures: true },
  { view: 'noise', label: 'Benchmark noise', needsFailures: true },
  { view: 'audit', label: 'Audit', needsFailures: true, needsAudit: true },
  { view: 'run', label: 'Run' },
];

export function App({ source, audit }: { source: DataSource; audit?: AuditClient }) {
  const [overview, setOverview] = useState<Overview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const route = useRoute();

  useEffect(() => {
    source.overview().then(setOverview, (e: unknown) => setError(String(e)));
  }, [source]);

  useEffect(() => {
    if (overview) document.title = `${overview.summary.runName} · errormap`;
  }, [overview]);

  if (error) return <p class="boot error">Could not load the run: {error}</p>;
  if (!overview) return <p class="boot">Loading…</p>;

  const tabs = TABS.filter((t) => !(t.needsFailures && overview.taxonomyOnly) && !(t.needsAudit && !audit && !overview.audit));
  const { summary } = overview;
  const keep = route.params.node ? { node: route.params.node } : {};
  return (
    <div class="shell">
      <header class="top">
        <div class="brand">
          <span class="logo" aria-hidden="true">
            ◧
          </span>
          <div>
            <h1>{summary.runName}</h1>
            <p class="sub">
              {overview.taxonomyOnly
                ? 'Taxonomy'
                : `${summary.failureCount.toLocaleString('en-US')} failures · ${summary.models.length} models · ${summary.datasets.length} datasets · judge ${summary.record.judge}`}
              {overview.mode === 'report' ? ' · report' : audit ? ' · live · audit' : ' · live'}
            </p>
          </div>
        </div>
        <nav class="tabs" aria-label="Views">
          {tabs.map((t) => (
            <a
              key={t.view}
              href={routeHash(t.view, keep)}
              class={route.view === t.view ? 'tab active' : 'tab'}
              aria-current={route.view === t.view ? 'page' : undefined}
            >
              {t.label}
            </a>
          ))}
        </nav>
      </header>
      <main class="content">
        {route.view === 'explorer' && <Explorer overview={overview} params={route.params} />}
        {route.view === 'failures' && <FailuresView overview={overview} source={source} params={route.params} />}
        {route.view === 'signatures' && <Signatures overview={overview} source={source} params={route.params} />}
        {route.view === 'compare' && <ComparePanel overview={overview} source={source} params={route.params} />}
        {route.view === 'noise' && <NoiseView source={source} />}
        {route.view === 'audit' && <AuditView overview={overview} client={audit} />}
        {route.view === 'run' && <RunInfo overview={overview} />}
      </main>
    </div>
  );
}
