import type { DatasetProfile, ProfileCategory } from '../../src/chart/profiles.js';
import { fmtInt, fmtPct } from './format.js';
import { useLoad } from './load.js';
import { routeHash } from './route.js';
import type { DataSource } from './source.js';

/** Benchmark profiles: per dataset, its largest top-level categories and the share of failures not about the claimed skill. */
export function Profiles({ source }: { source: DataSource }) {
  const loaded = useLoad(() => source.profiles(), source);
  return (
    <section class="panel profiles">
      <h2>Benchmark profiles</h2>
      <p class="muted">
        What each dataset's failures are made of: its largest top-level categories, and the share of failures filed under a category that is
        not about the skill the benchmark claims to measure (answer format, no usable answer, under-specified task, instruction following,
        benchmark noise, catch-alls). Bars are weighted shares; whiskers are 95% Wilson intervals.
      </p>
      {loaded.state === 'loading' && <p class="muted">Loading…</p>}
      {loaded.state === 'error' && <p class="error">Could not load the profiles: {loaded.error}</p>}
      {loaded.state === 'ready' &&
        (loaded.value.length === 0 ? (
          <p class="empty">No dataset has analysed failures filed in the taxonomy.</p>
        ) : (
          <div class="profile-cards">
            {loaded.value.map((p) => (
              <ProfileCard key={p.dataset} profile={p} />
            ))}
          </div>
        ))}
    </section>
  );
}

function ProfileCard({ profile: p }: { profile: DatasetProfile }) {
  const off = p.offSkill;
  return (
    <article class="profile-card" data-dataset={p.dataset}>
      <h3 class="profile-name">{p.dataset}</h3>
      <p class="muted">
        {fmtInt(p.n)} analysed failures
        {p.failureRate !== undefined && ` · ${fmtPct(p.failureRate)} of predictions fail`}
      </p>
      <div class="off-skill" title={`95% CI ${fmtPct(off.ciLow)}–${fmtPct(off.ciHigh)}; ${fmtInt(off.count)} of ${fmtInt(p.n)} failures`}>
        <strong class="off-skill-share">{fmtPct(off.share)}</strong>
        <span>
          not about the claimed skill{' '}
          <span class="muted">
            (95% CI {fmtPct(off.ciLow)}–{fmtPct(off.ciHigh)})
          </span>
        </span>
      </div>
      {off.categories.length > 0 && <p class="muted small">from: {off.categories.join(', ')}</p>}
      <ol class="profile-top">
        {p.topCategories.map((c) => (
          <ProfileBar key={c.categoryId} category={c} dataset={p.dataset} />
        ))}
      </ol>
    </article>
  );
}

function ProfileBar({ category: c, dataset }: { category: ProfileCategory; dataset: string }) {
  const name = c.categoryPath.join(' › ');
  return (
    <li title={`${name}: ${fmtPct(c.share)} (95% CI ${fmtPct(c.ciLow)}–${fmtPct(c.ciHigh)}), ${fmtInt(c.count)} failures`}>
      <a class="profile-label" href={routeHash('failures', { node: c.categoryId, dataset })}>
        {name}
      </a>
      <span class="profile-bar">
        <i style={{ width: `${(c.share * 100).toFixed(1)}%` }} />
        <b style={{ left: `${(c.ciLow * 100).toFixed(1)}%`, width: `${((c.ciHigh - c.ciLow) * 100).toFixed(1)}%` }} />
      </span>
      <span class="num">{fmtPct(c.share)}</span>
    </li>
  );
}
