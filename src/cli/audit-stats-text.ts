import type { CategoryAgreement } from '../audit/agreement-stats.js';
import type { AuditStats } from '../audit/audit-stats.js';
import type { Estimate } from '../audit/bootstrap.js';
import { type Column, fixed, formatTable, interval, percent } from './table.js';

const withInterval = (e: Estimate, show: (x: number | undefined) => string) => `${show(e.value)} ${interval(e.low, e.high, show)}`;
const pct = (e: Estimate) => withInterval(e, percent);
const num = (e: Estimate) => withInterval(e, (x) => fixed(x));

function agreementLines(name: string, a: CategoryAgreement): string {
  return `${name.padEnd(10)} n=${a.n}  accuracy ${pct(a.accuracy)}  Cohen's kappa ${num(a.kappa)}\n`;
}

type CategoryRow = CategoryAgreement['perCategory'][number];
const CATEGORY_COLUMNS: Column<CategoryRow>[] = [
  { header: 'category (top level)', value: (r) => r.label, maxWidth: 40 },
  { header: 'judge', value: (r) => r.judged, align: 'right' },
  { header: 'human', value: (r) => r.humanCount, align: 'right' },
  { header: 'precision [95% CI]', value: (r) => pct(r.precision), align: 'right' },
  { header: 'recall [95% CI]', value: (r) => pct(r.recall), align: 'right' },
];

type ShareRow = AuditStats['shares'][number];
const SHARE_COLUMNS: Column<ShareRow>[] = [
  { header: 'category (top level)', value: (r) => r.label, maxWidth: 40 },
  { header: 'judge share', value: (r) => percent(r.judgeShare), align: 'right' },
  { header: 'corrected [95% CI]', value: (r) => pct(r.corrected), align: 'right' },
  { header: 'reviewed', value: (r) => `${r.reviewed}${r.reviewed < FEW_REVIEWS ? '*' : ''}`, align: 'right' },
];
/** Below this many reviews in a judge category, its bootstrap interval says little (it can collapse to a point). */
const FEW_REVIEWS = 5;

function confusionText(a: CategoryAgreement): string {
  const { labels, counts } = a.confusion;
  const short = labels.map((_, i) => `C${i + 1}`);
  const rows = labels.map((label, i) => ({ label: `${short[i]} ${label}`, cells: counts[i] }));
  const columns: Column<(typeof rows)[number]>[] = [
    { header: 'judge \\ human', value: (r) => r.label, maxWidth: 40 },
    ...short.map((s, j) => ({ header: s, value: (r: (typeof rows)[number]) => r.cells[j], align: 'right' as const })),
  ];
  return formatTable(rows, columns);
}

/** The text `errormap audit stats` prints. */
export function auditStatsText(s: AuditStats): string {
  if (s.reviews === 0)
    return `No reviews yet. Review a sample with \`errormap view RUN --audit\` or \`errormap audit export\`.\n${s.verdict}\n`;
  const out: string[] = [];
  out.push(
    `Human audit: ${s.failuresReviewed} failures reviewed by ${s.reviewers.join(', ')} (${s.reviews} reviews; 95% intervals, bootstrap seed ${s.seed})\n`,
  );
  out.push('\nJudge–human agreement on the category\n');
  out.push(agreementLines('top level', s.topLevel));
  out.push(agreementLines('leaf', s.leaf));
  if (s.acceptable) out.push(`blind reviews where the judge's category was also acceptable: ${pct(s.acceptable)} (n=${s.acceptable.n})\n`);
  const an = s.analysis;
  out.push(`\nAnalysis verdicts (n=${an.n}): accepted ${pct(an.accept)}, partly ${pct(an.partly)}, rejected ${pct(an.reject)}\n`);
  if (s.interReviewer) {
    for (const [level, r] of [
      ['top level', s.interReviewer.topLevel],
      ['leaf', s.interReviewer.leaf],
    ] as const) {
      const kappa = r.kappa ? `Cohen's kappa ${num(r.kappa)}, ` : '';
      out.push(
        `Between reviewers (${level}, ${r.items} failures, ${r.reviewers.join(', ')}): ${kappa}Krippendorff's alpha ${num(r.alpha)}\n`,
      );
    }
  }
  if (s.topLevel.n > 0) {
    out.push('\nPer category: precision and recall of the judge’s assignments\n');
    out.push(formatTable(s.topLevel.perCategory, CATEGORY_COLUMNS));
    out.push('\nConfusion (rows: judge, columns: human)\n');
    out.push(confusionText(s.topLevel));
    out.push('\nShares corrected for the measured misclassification\n');
    out.push(formatTable(s.shares, SHARE_COLUMNS));
    if (s.shares.some((r) => r.reviewed < FEW_REVIEWS))
      out.push(
        `* fewer than ${FEW_REVIEWS} reviews of the judge's category: its correction and interval rest on too few items to trust.\n`,
      );
  }
  out.push(`\n${s.verdict}\n`);
  return out.join('');
}
