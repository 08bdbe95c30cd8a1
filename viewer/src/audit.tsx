import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { AuditStats } from '../../src/audit/audit-stats.js';
import type { LeafPath } from '../../src/audit/category-paths.js';
import type { Review } from '../../src/audit/review.js';
import type { AuditItemView, AuditSessionView } from '../../src/report/audit-routes.js';
import type { Overview } from '../../src/report/view-data.js';
import type { AuditClient } from './audit-client.js';
import { AuditStatsPanel, ReviewList } from './audit-stats.js';
import { CategoryPicker } from './category-picker.js';
import { CriteriaTable, TextBlock } from './failure-detail.js';

type Verdict = NonNullable<Review['verdict']>;
const VERDICT_KEYS: Record<string, Verdict> = { a: 'accept', p: 'partly', r: 'reject' };
const REVIEWER_KEY = 'errormap-audit-reviewer';

interface Answer {
  verdict?: Verdict;
  humanPath?: string[];
  judgeAcceptable?: boolean;
  note: string;
  /** Recorded as it stands. */
  saved: boolean;
}

/** The Audit tab: reviewing in `errormap view --audit`; elsewhere the audit's figures and reviews, read-only. */
export function AuditView({ overview, client }: { overview: Overview; client?: AuditClient }) {
  useEffect(() => {
    document.documentElement.dataset.ready = 'audit';
  }, []);
  if (!client) {
    if (!overview.audit) return <p class="empty">This run has no human audit yet. Start one with `errormap view RUN --audit`.</p>;
    return (
      <section class="panel audit-results">
        <h2>Human audit</h2>
        <AuditStatsPanel stats={overview.audit.stats} />
        <h3>Reviews</h3>
        <ReviewList reviews={overview.audit.reviews} />
      </section>
    );
  }
  return <ReviewerGate client={client} />;
}

/** Asks the reviewer's name once (kept in this browser) and opens their session. */
function ReviewerGate({ client }: { client: AuditClient }) {
  const [reviewer, setReviewer] = useState(() => localStorage.getItem(REVIEWER_KEY) ?? '');
  const [session, setSession] = useState<AuditSessionView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  useEffect(() => {
    if (!reviewer) return;
    client.session(reviewer).then(setSession, (e: unknown) => setError(String(e)));
  }, [client, reviewer]);
  // A new port is a new origin with empty storage: offer the run's most recent reviewer, so Enter resumes.
  useEffect(() => {
    if (!reviewer)
      client.reviewers().then(
        (names) => setDraft((d) => d || (names[0] ?? '')),
        () => undefined,
      );
  }, [client, reviewer]);
  if (error) return <p class="error">{error}</p>;
  if (!reviewer)
    return (
      <form
        class="panel reviewer-form"
        onSubmit={(e) => {
          e.preventDefault();
          const name = draft.trim();
          if (!name) return;
          localStorage.setItem(REVIEWER_KEY, name);
          setReviewer(name);
        }}
      >
        <h2>Human audit</h2>
        <p>Your name is recorded with each review (asked once: kept in this browser, and offered again from the run).</p>
        <label>
          Reviewer name{' '}
          <input
            name="reviewer"
            ref={(el) => el?.focus()}
            value={draft}
            onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
            maxLength={80}
          />
        </label>{' '}
        <button type="submit" class="button">
          Start
        </button>
      </form>
    );
  if (!session) return <p class="boot">Loading the audit sample…</p>;
  const switchReviewer = () => {
    localStorage.removeItem(REVIEWER_KEY);
    setSession(null);
    setDraft('');
    setReviewer('');
  };
  return <AuditSession client={client} session={session} onSwitch={switchReviewer} />;
}

function answersFrom(reviews: Review[]): Map<string, Answer> {
  return new Map(
    reviews.map((r) => [
      r.failureId,
      { verdict: r.verdict, humanPath: r.humanPath, judgeAcceptable: r.judgeAcceptable, note: r.note, saved: true },
    ]),
  );
}

const isTyping = (t: EventTarget | null) =>
  t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement;

function AuditSession({ client, session, onSwitch }: { client: AuditClient; session: AuditSessionView; onSwitch: () => void }) {
  const { items, categories, mode } = session;
  const [answers, setAnswers] = useState(() => answersFrom(session.reviews));
  const [pos, setPos] = useState(() =>
    Math.max(
      0,
      items.findIndex((id) => !answers.has(id)),
    ),
  );
  const [item, setItem] = useState<AuditItemView | null>(null);
  const [stats, setStats] = useState<AuditStats>(session.stats);
  const [message, setMessage] = useState('');
  const [shownAt, setShownAt] = useState(() => Date.now());
  const [now, setNow] = useState(() => Date.now());
  const [seconds, setSeconds] = useState<number[]>(() => session.reviews.flatMap((r) => (r.seconds !== undefined ? [r.seconds] : [])));
  const pickerRef = useRef<HTMLInputElement>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const id = items[pos];
  const answer: Answer = answers.get(id) ?? { note: '', saved: false };
  const judgePath = item?.detail.path ?? [];
  const judgeLabel = useMemo(() => labelOf(categories, judgePath), [categories, judgePath]);
  const revealed = mode === 'open' || answer.humanPath !== undefined;
  const done = items.filter((i) => answers.get(i)?.saved).length;

  useEffect(() => {
    let live = true;
    setItem(null);
    setShownAt(Date.now());
    client.item(id).then(
      (v) => live && setItem(v),
      (e: unknown) => live && setMessage(String(e)),
    );
    return () => {
      live = false;
    };
  }, [client, id]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  // Functional updates: two keys pressed before a render must both count.
  const update = (patch: Partial<Answer> | ((a: Answer) => Partial<Answer>)) =>
    setAnswers((prev) => {
      const current = prev.get(id) ?? { note: '', saved: false };
      return new Map(prev).set(id, { ...current, ...(typeof patch === 'function' ? patch(current) : patch), saved: false });
    });

  const save = async (): Promise<boolean> => {
    if (answer.saved || (!answer.verdict && !answer.humanPath)) return true;
    const spent = Math.round((Date.now() - shownAt) / 100) / 10;
    try {
      await client.review({
        failureId: id,
        reviewer: session.reviewer,
        mode,
        verdict: answer.verdict,
        humanPath: answer.humanPath,
        judgeAcceptable: answer.judgeAcceptable,
        note: answer.note,
        seconds: spent,
      });
    } catch (e) {
      setMessage(`Not saved: ${String(e)}`);
      return false;
    }
    setAnswers((prev) => new Map(prev).set(id, { ...answer, saved: true }));
    setSeconds([...seconds, spent]);
    setMessage('');
    client.stats().then(setStats, () => undefined);
    return true;
  };
  const go = async (step: number) => {
    if (!(await save())) return;
    setPos(Math.max(0, Math.min(items.length - 1, pos + step)));
  };
  const pick = (leaf: LeafPath) => update({ humanPath: leaf.ids, judgeAcceptable: undefined });
  const confirmJudge = () => {
    if (mode === 'open') {
      if (categories.some((c) => c.ids.join('\u0000') === judgePath.join('\u0000'))) update({ humanPath: judgePath });
    } else if (revealed) update((a) => ({ judgeAcceptable: !a.judgeAcceptable }));
  };

  // The key handler of the latest render, swapped in during render: an effect would lag a frame behind
  // a fast typist and act on the previous item's answer.
  const onKeyRef = useRef<(e: KeyboardEvent) => void>(() => undefined);
  onKeyRef.current = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (isTyping(e.target)) {
      if (e.key === 'Escape') (e.target as HTMLElement).blur();
      return;
    }
    const key = e.key;
    if (VERDICT_KEYS[key]) update({ verdict: VERDICT_KEYS[key] });
    else if (key === 'c' || key === '/') pickerRef.current?.focus();
    else if (key === 'n') noteRef.current?.focus();
    else if (key === 'y') confirmJudge();
    else if (key === 'Enter' || key === 'ArrowRight' || key === 'j') void go(1);
    else if (key === 'ArrowLeft' || key === 'k') void go(-1);
    else return;
    e.preventDefault();
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => onKeyRef.current(e);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const mean = seconds.length > 0 ? seconds.reduce((a, b) => a + b, 0) / seconds.length : undefined;
  return (
    <div class="audit" data-audit-item={id}>
      <div class="toolbar audit-bar">
        <div>
          <strong class="audit-progress">
            Item {pos + 1} of {items.length}
          </strong>{' '}
          · <span class="audit-done">{done} reviewed</span> · this item {clock((now - shownAt) / 1000)}
          {mean !== undefined && ` · ${clock(mean)} per item on average`} · {mode} mode · reviewer {session.reviewer}{' '}
          <button type="button" class="link" onClick={onSwitch}>
            (not you?)
          </button>
        </div>
        <div class="segmented">
          <button type="button" onClick={() => void go(-1)} disabled={pos === 0}>
            ← Previous (k)
          </button>
          <button type="button" onClick={() => void go(1)}>
            {pos === items.length - 1 ? 'Save (Enter)' : 'Save and next (Enter)'}
          </button>
        </div>
      </div>
      <p class="hint keys">
        Keys: <kbd>a</kbd> accept · <kbd>p</kbd> partly · <kbd>r</kbd> reject · <kbd>c</kbd> choose a category (type, ↑↓, Enter) ·{' '}
        <kbd>y</kbd> {mode === 'open' ? "confirm the judge's category" : "judge's category also acceptable"} · <kbd>n</kbd> note (Esc
        leaves) · <kbd>Enter</kbd>/<kbd>→</kbd> save and next · <kbd>←</kbd> previous
      </p>
      {message && <p class="error">{message}</p>}
      <div class="audit-grid">
        <section class="panel audit-failure">
          {!item ? (
            <p class="boot">Loading…</p>
          ) : (
            <>
              <h2>{item.detail.title || '(no title)'}</h2>
              <p class="muted">
                {item.detail.model} · {item.detail.dataset} · example {item.detail.exampleId}
              </p>
              {item.detail.summary && <p class="summary">{item.detail.summary}</p>}
              <TextBlock label="Input" text={item.detail.inputText} mode="server" />
              <div class="two">
                <TextBlock label="Model output" text={item.detail.outputText} mode="server" />
                <TextBlock label="Reference answer" text={item.detail.correctAnswer ?? '(none)'} mode="server" />
              </div>
              {item.others.length > 0 && (
                <section>
                  <h3>Other models' correct answers</h3>
                  {item.others.slice(0, 3).map((o) => (
                    <TextBlock key={o.model} label={o.model} text={o.output} mode="server" />
                  ))}
                </section>
              )}
              <CriteriaTable criteria={item.detail.criteria} />
            </>
          )}
        </section>
        <aside class="panel audit-answer">
          <h3>Is the analysis right?</h3>
          <fieldset class="segmented verdicts" aria-label="Analysis verdict">
            {(['accept', 'partly', 'reject'] as const).map((v) => (
              <button key={v} type="button" aria-pressed={answer.verdict === v} data-verdict={v} onClick={() => update({ verdict: v })}>
                {v} ({v[0]})
              </button>
            ))}
          </fieldset>
          <h3>Which category fits?</h3>
          <p class="chosen-category">
            Yours: <strong>{answer.humanPath ? labelOf(categories, answer.humanPath) : '—'}</strong>
          </p>
          {revealed ? (
            <p class="judge-category">
              Judge's: <strong>{judgeLabel || '—'}</strong>
              {mode === 'blind' && (
                <label>
                  {' '}
                  <input
                    type="checkbox"
                    tabIndex={-1}
                    checked={answer.judgeAcceptable === true}
                    onChange={() => update({ judgeAcceptable: !answer.judgeAcceptable })}
                  />{' '}
                  also acceptable (y)
                </label>
              )}
            </p>
          ) : (
            <p class="judge-category muted">The judge's category is shown once you have chosen yours.</p>
          )}
          <CategoryPicker categories={categories} chosen={answer.humanPath} onPick={pick} inputRef={pickerRef} />
          <h3>Note</h3>
          <textarea
            ref={noteRef}
            class="note"
            rows={3}
            maxLength={5000}
            value={answer.note}
            aria-label="Note"
            onInput={(e) => update({ note: (e.target as HTMLTextAreaElement).value })}
          />
          <p class="muted save-state">{answer.saved ? 'Saved.' : answer.verdict || answer.humanPath ? 'Not saved yet.' : ''}</p>
        </aside>
      </div>
      <section class="panel">
        <h2>Agreement so far</h2>
        <AuditStatsPanel stats={stats} />
      </section>
    </div>
  );
}

function labelOf(categories: LeafPath[], ids: readonly string[]): string {
  const key = ids.join('\u0000');
  return categories.find((c) => c.ids.join('\u0000') === key)?.label ?? '';
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
