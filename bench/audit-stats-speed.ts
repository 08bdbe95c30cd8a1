/**
 * Time of `computeAuditStats` (every figure, 2,000 bootstrap resamples each) for a number of reviews, two
 * reviewers each reviewing every failure, on a 3 × 4 taxonomy. It runs on every overview request of the
 * served viewer and after every saved review, so it must stay well under a second.
 *   npx tsx bench/audit-stats-speed.ts [reviews per reviewer, default 100] [repeats, default 5]
 */
import { computeAuditStats } from '../src/audit/audit-stats.js';
import type { Review } from '../src/contracts/review.js';
import type { TaxonomyNode } from '../src/contracts/taxonomy-node.js';

const perReviewer = Number(process.argv[2] ?? 100);
const repeats = Number(process.argv[3] ?? 5);

const leaf = (id: string, depth: number): TaxonomyNode => ({ id, name: id, description: '', depth, count: 10, share: 0, children: [] });
const tops = ['A', 'B', 'C'].map((t) => ({ ...leaf(t, 1), count: 40, children: [1, 2, 3, 4].map((i) => leaf(`${t}${i}`, 2)) }));
const taxonomy: TaxonomyNode = { ...leaf('root', 0), count: 120, children: tops };
const paths = tops.flatMap((t) => t.children.map((c) => [t.id, c.id]));

// A deterministic mix: the judge's path cycles through the leaves; reviewers agree about 3 times in 4.
const reviews: Review[] = [];
for (const reviewer of ['dana', 'sam'])
  for (let i = 0; i < perReviewer; i++) {
    const judge = paths[i % paths.length];
    const human = (i * (reviewer === 'dana' ? 7 : 11)) % 4 === 0 ? paths[(i + 5) % paths.length] : judge;
    reviews.push({
      failureId: `f${i}`,
      reviewer,
      reviewedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      mode: 'blind',
      verdict: (['accept', 'partly', 'reject'] as const)[i % 3],
      humanPath: human,
      note: '',
      judgePath: judge,
      judgeTitle: 't',
    });
  }

const times: number[] = [];
for (let r = 0; r < repeats; r++) {
  const start = performance.now();
  computeAuditStats(taxonomy, reviews, { seed: 42 });
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
console.log(
  `computeAuditStats, ${reviews.length} reviews (${perReviewer} failures × 2 reviewers): ` +
    `min ${times[0].toFixed(0)} ms, median ${times[Math.floor(times.length / 2)].toFixed(0)} ms, max ${times.at(-1)?.toFixed(0)} ms over ${repeats} runs`,
);
