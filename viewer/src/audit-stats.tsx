import type { AuditOverview } from '../../src/audit/audit-overview.js';
import type { AuditStats } from '../../src/audit/audit-stats.js';
import type { Estimate } from '../../src/audit/bootstrap.js';
import { fmtPct } from './format.js';
import { routeHash } from './route.js';

const pct = (x: number) => (Number.isFinite(x) ? fmtPct(x) : '–');
const num = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const withCi = (e: Estimate, show: (x: number) => string) => `${show(e.value)} [${show(e.low)}–${show(e.high)}]`;

/** The trust figure beside the taxonomy: judge–human agreement on the top-level category, with its interval. */
export function TrustBadge({ audit }: { audit?: AuditOverview }) {
  if (!audit || audit.stats.topLevel.n === 0) return null;
  const t = audit.stats.topLevel;
  return (
    <a class="trust" href={routeHash('audit', {})} title={audit.stats.verdict}>
      <strong>Human audit</strong> agreement {withCi(t.accuracy, pct)} · κ {num(t.kappa.value)} · n={t.n}
    </a>
  );
}

/** Every audit figure, read-only (the report, and the audit view beside the reviewing). */
export function AuditStatsPanel({ stats }: { stats: AuditStats }) {
  if (stats.reviews === 0) return <p class="muted">No reviews yet. {stats.verdict}</p>;
  const rows: [string, string][] = [
    [
      'Category agreement, top level',
      `${withCi(stats.topLevel.accuracy, pct)} · Cohen's κ ${withCi(stats.topLevel.kappa, num)} · n=${stats.topLevel.n}`,
    ],
    ['Category agreement, leaf', `${withCi(stats.leaf.accuracy, pct)} · Cohen's κ ${withCi(stats.leaf.kappa, num)} · n=${stats.leaf.n}`],
    [
      'Analysis accepted',
      `${withCi(stats.analysis.accept, pct)} · partly ${pct(stats.analysis.partly.value)} · rejected ${pct(stats.analysis.reject.value)} · n=${stats.analysis.n}`,
    ],
  ];
  if (stats.acceptable) rows.push(["Judge's category acceptable (blind)", `${withCi(stats.acceptable, pct)} · n=${stats.acceptable.n}`]);
  if (stats.interReviewer) {
    const r = stats.interReviewer.topLevel;
    rows.push([
      `Between reviewers (${r.reviewers.join(', ')})`,
      `${r.kappa ? `Cohen's κ ${withCi(r.kappa, num)} · ` : ''}Krippendorff's α ${withCi(r.alpha, num)} · ${r.items} failures`,
    ]);
  }
  return (
    <div class="audit-stats">
      <p class="verdict">{stats.verdict}</p>
      <table class="grid">
        <tbody>
          {rows.map(([k, v]) => (
            <tr key={k}>
              <th>{k}</th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Shares corrected for the judge's measured misclassification</h3>
      <table class="grid">
        <thead>
          <tr>
            <th>Top-level category</th>
            <th class="num">Judge</th>
            <th class="num">Corrected [95%]</th>
            <th class="num">Precision</th>
            <th class="num">Recall</th>
            <th class="num">Reviewed</th>
          </tr>
        </thead>
        <tbody>
          {stats.shares.map((s) => {
            const q = stats.topLevel.perCategory.find((c) => c.label === s.label);
            return (
              <tr key={s.label}>
                <td>{s.label}</td>
                <td class="num">{pct(s.judgeShare)}</td>
                <td class="num">{withCi(s.corrected, pct)}</td>
                <td class="num">{q ? withCi(q.precision, pct) : '–'}</td>
                <td class="num">{q ? withCi(q.recall, pct) : '–'}</td>
                <td class="num">{s.reviewed}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The reviews themselves, read-only; notes are shown as text. */
export function ReviewList({ reviews }: { reviews: AuditOverview['reviews'] }) {
  return (
    <table class="grid reviews">
      <thead>
        <tr>
          <th>Failure</th>
          <th>Reviewer</th>
          <th>Verdict</th>
          <th>Judge's category</th>
          <th>Reviewer's category</th>
          <th>Note</th>
        </tr>
      </thead>
      <tbody>
        {reviews.map((r) => (
          <tr key={`${r.failureId}/${r.reviewer}`}>
            <td class="mono">{r.failureId}</td>
            <td>{r.reviewer}</td>
            <td>{r.verdict ?? '–'}</td>
            <td>{r.judgeCategory}</td>
            <td>{r.humanCategory ?? '–'}</td>
            <td class="review-note">{r.note}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
