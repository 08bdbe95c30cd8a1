import type { AuditStats } from '../../src/audit/audit-stats.js';
import type { Review, ReviewInput } from '../../src/audit/review.js';
import type { AuditItemView, AuditMode, AuditSessionView } from '../../src/report/audit-routes.js';

/** The served page's audit session: the token and mode `errormap view --audit` put in a meta tag. */
export interface AuditClient {
  mode: AuditMode;
  /** Who has reviewed this run, most recent first. */
  reviewers(): Promise<string[]>;
  session(reviewer: string): Promise<AuditSessionView>;
  item(id: string): Promise<AuditItemView>;
  review(input: ReviewInput): Promise<Review>;
  stats(): Promise<AuditStats>;
}

/** The audit client when the page was served in audit mode; undefined for reports and plain `errormap view`. */
export function detectAudit(): AuditClient | undefined {
  const content = document.querySelector('meta[name="errormap-audit"]')?.getAttribute('content') ?? '';
  const [token, mode] = content.split(' ');
  if (!token || (mode !== 'blind' && mode !== 'open')) return undefined;
  const post = async <T>(path: string, body: unknown): Promise<T> => {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-errormap-token': token, accept: 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as T & { error?: string };
    if (!response.ok) throw new Error(answer.error ?? `${path}: HTTP ${response.status}`);
    return answer;
  };
  return {
    mode,
    reviewers: async () => (await post<{ reviewers: string[] }>('api/audit/reviewers', {})).reviewers,
    session: (reviewer) => post('api/audit/session', { reviewer }),
    item: (id) => post('api/audit/item', { id }),
    review: async (input) => (await post<{ review: Review }>('api/audit/review', input)).review,
    stats: () => post('api/audit/stats', {}),
  };
}
