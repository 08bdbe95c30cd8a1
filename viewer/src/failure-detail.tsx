import { useEffect, useState } from 'preact/hooks';
import type { FailureDetail, Overview } from '../../src/report/view-data.js';
import { fmtInt, fmtScore } from './format.js';
import type { DataSource } from './source.js';
import type { TreeIndex } from './tree-index.js';

/** One failure in full. Every text is rendered as text (Preact escapes it); nothing from data becomes markup or a link. */
export function FailureDetailPanel({
  id,
  source,
  index,
  mode,
}: {
  id: string;
  source: DataSource;
  index: TreeIndex;
  mode: Overview['mode'];
}) {
  const [detail, setDetail] = useState<FailureDetail | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    setDetail(undefined);
    source.failure(id).then(
      (d) => live && setDetail(d ?? null),
      () => live && setDetail(null),
    );
    return () => {
      live = false;
    };
  }, [source, id]);
  if (detail === undefined) return <p class="empty">Loading…</p>;
  if (detail === null) return <p class="empty">Failure {id} was not found.</p>;
  const path = detail.path.map((p) => index.byId.get(p)?.name ?? p);
  return (
    <article class="failure-detail" data-detail-id={detail.id}>
      <header>
        <p class="path">{path.length > 0 ? path.join(' › ') : 'Not placed in the taxonomy'}</p>
        <h2>{detail.title || '(no title)'}</h2>
        <p class="failure-meta">
          <span class="chip">{detail.model}</span>
          <span class="chip light">{detail.dataset}</span>
          <span class="muted">example {detail.exampleId}</span>
          <span class="muted">
            score {fmtScore(detail.score)} (threshold {fmtScore(detail.threshold)})
          </span>
          {detail.judge && (
            <span class="muted">
              judged by {detail.judge}
              {detail.source && detail.source !== 'judge' ? ` (${detail.source})` : ''}
            </span>
          )}
        </p>
        {detail.summary && <p class="summary">{detail.summary}</p>}
        {detail.analysisError && <p class="error">Not analysed: {detail.analysisError}</p>}
      </header>
      <TextBlock label="Input" text={detail.inputText} cut={detail.truncated?.inputText} mode={mode} />
      <div class="two">
        <TextBlock label="Model output" text={detail.outputText} cut={detail.truncated?.outputText} mode={mode} />
        <TextBlock label="Reference answer" text={detail.correctAnswer ?? '(none)'} cut={detail.truncated?.correctAnswer} mode={mode} />
      </div>
      <CriteriaTable criteria={detail.criteria} />
      {detail.findings.length > 0 && (
        <section>
          <h3>Detector findings</h3>
          <ul class="findings">
            {detail.findings.map((f) => (
              <li key={f.detector}>
                <strong>{f.title}</strong> <span class="chip light">{f.family}</span> <span class="muted">{f.detector}</span>
                <p>{f.summary}</p>
                {f.evidence && <pre class="text small">{f.evidence}</pre>}
                {f.precision && <p class="muted small">Detector {f.precision}</p>}
              </li>
            ))}
          </ul>
        </section>
      )}
      {Object.keys(detail.metadata).length > 0 && (
        <section>
          <h3>Metadata</h3>
          <dl class="meta">
            {Object.entries(detail.metadata).map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}
    </article>
  );
}

export function TextBlock({ label, text, cut, mode }: { label: string; text: string; cut?: number; mode: Overview['mode'] }) {
  return (
    <section class="text-block">
      <h3>{label}</h3>
      <pre class="text">{text}</pre>
      {cut !== undefined && (
        <p class="cut-marker" role="note">
          Truncated: showing {fmtInt(text.length)} of {fmtInt(cut)} characters.
          {mode === 'report' ? ' Run `errormap view` on the run for the full text.' : ''}
        </p>
      )}
    </section>
  );
}

/** The judge's criteria: what a correct answer needs, and how the output did on each. */
export function CriteriaTable({ criteria }: { criteria: FailureDetail['criteria'] }) {
  if (criteria.length === 0) return null;
  return (
    <section>
      <h3>Judge's criteria</h3>
      <table class="grid criteria">
        <thead>
          <tr>
            <th>Criterion</th>
            <th>Attempted</th>
            <th>Quality</th>
            <th>Evidence</th>
            <th>Comment</th>
          </tr>
        </thead>
        <tbody>
          {criteria.map((c, i) => (
            <tr key={i}>
              <td>{c.criterion}</td>
              <td>{c.present ? 'yes' : 'no'}</td>
              <td>
                <span class={`quality q-${c.quality.replace(/\s+/g, '-')}`}>{c.quality}</span>
              </td>
              <td class="evidence">{c.evidence}</td>
              <td>{c.comment}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
