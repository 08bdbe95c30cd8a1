import { useEffect, useState } from 'preact/hooks';
import { dedupeStatements } from '../../src/report/statement-dedupe.js';
import type { ExampleOutput, ExampleView, FailureDetail, Overview } from '../../src/report/view-data.js';
import { fmtInt, fmtScore } from './format.js';
import { useLoad } from './load.js';
import { routeHash } from './route.js';
import type { DataSource } from './source.js';
import type { TreeIndex } from './tree-index.js';

/** Characters of a long output shown by default: its end, where the final answer is. */
const TAIL_CHARS = 1200;

/**
 * One failure in full, the way the judge saw it: the example's input and reference, then every model's
 * output on the same example side by side (this failure first), the correct outputs given to the judge
 * marked, and the judge's analysis with each statement said once. Texts are rendered as Markdown and
 * LaTeX through a sanitiser (rich-text.ts), or shown as plain text; nothing from data becomes a link.
 */
export function FailureDetailPanel({
  id,
  source,
  index,
  mode,
  rich,
  onRich,
}: {
  id: string;
  source: DataSource;
  index: TreeIndex;
  mode: Overview['mode'];
  /** Render Markdown and LaTeX (else plain text). */
  rich: boolean;
  onRich: (rich: boolean) => void;
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
  const path = detail.path.map((p) => index.byId.get(p)).filter((n) => n !== undefined);
  return (
    <article class="failure-detail" data-detail-id={detail.id}>
      <header>
        <p class="path">
          {path.length > 0
            ? path.map((n, i) => (
                <span key={n.id}>
                  {i > 0 && ' › '}
                  <a href={routeHash('explorer', { node: n.id })}>{n.name}</a>
                </span>
              ))
            : 'Not placed in the taxonomy'}
        </p>
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
          <label class="render-toggle">
            <input type="checkbox" checked={rich} onChange={(e) => onRich((e.target as HTMLInputElement).checked)} /> Render Markdown and
            LaTeX
          </label>
        </p>
        {detail.summary && <p class="summary">{detail.summary}</p>}
        {detail.analysisError && <p class="error">Not analysed: {detail.analysisError}</p>}
      </header>
      <ExampleSideBySide detail={detail} source={source} index={index} mode={mode} rich={rich} />
      <Analysis detail={detail} />
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

/** The judge's criteria and the detectors' findings, each statement shown where it is first said. */
function Analysis({ detail }: { detail: FailureDetail }) {
  const shown = dedupeStatements(
    detail.summary,
    detail.criteria.map((c) => c.comment),
    detail.findings.map((f) => f.summary),
  );
  return (
    <>
      <CriteriaTable criteria={detail.criteria} comments={shown.comments} />
      {detail.findings.length > 0 && (
        <section>
          <h3>Detector findings</h3>
          <ul class="findings">
            {detail.findings.map((f, i) => (
              <li key={f.detector}>
                <strong>{f.title}</strong> <span class="chip light">{f.family}</span> <span class="muted">{f.detector}</span>
                {shown.findings[i] === null ? <p class="muted small said-above">Says what is said above.</p> : <p>{f.summary}</p>}
                {f.evidence && <pre class="text small">{f.evidence}</pre>}
                {f.precision && <p class="muted small">Detector {f.precision}</p>}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

/** The example's input and reference, and every model's output on it; this failure's own output first. */
function ExampleSideBySide({
  detail,
  source,
  index,
  mode,
  rich,
}: {
  detail: FailureDetail;
  source: DataSource;
  index: TreeIndex;
  mode: Overview['mode'];
  rich: boolean;
}) {
  const loaded = useLoad(() => source.example(detail.dataset, detail.exampleId), `${detail.dataset}\u0000${detail.exampleId}`);
  const example: ExampleView | undefined = loaded.state === 'ready' ? loaded.value : undefined;
  const judged = detail.source === 'judge';
  const outputs: ExampleOutput[] = example
    ? [...example.outputs].sort((a, b) => Number(b.model === detail.model) - Number(a.model === detail.model))
    : [];
  const shownCount = outputs.filter((o) => o.shownToJudge).length;
  return (
    <section class="example">
      <h3>The example</h3>
      <p class="muted small judge-saw">
        {judged
          ? `The judge saw the input, the reference answer, this output${shownCount > 0 ? ` and ${shownCount} correct output${shownCount === 1 ? '' : 's'} of other models (marked “shown to the judge”)` : ''}.`
          : detail.source
            ? `Filed by ${detail.source === 'precheck' ? 'a pre-check' : 'a detector'} without a judge call.`
            : 'Not analysed.'}
      </p>
      <div class="two">
        <TextBlock label="Input" text={detail.inputText} cut={detail.truncated?.inputText} mode={mode} rich={rich} />
        <TextBlock
          label="Reference answer"
          text={detail.correctAnswer ?? '(none)'}
          cut={detail.truncated?.correctAnswer}
          mode={mode}
          rich={rich}
          badge={judged && detail.correctAnswer !== undefined ? 'shown to the judge' : undefined}
        />
      </div>
      <h3>
        Every model's output on this example{' '}
        {example && (
          <span class="count">
            · {outputs.filter((o) => o.failed).length} failed, {outputs.filter((o) => !o.failed).length} correct
          </span>
        )}
      </h3>
      {loaded.state === 'loading' && <p class="muted">Loading…</p>}
      {loaded.state === 'error' && <p class="error">Could not load the example: {loaded.error}</p>}
      {loaded.state === 'ready' && !example && (
        <div class="outputs">
          <OutputCard
            output={{ model: detail.model, score: detail.score, failed: true, outputText: detail.outputText, shownToJudge: false }}
            current
            index={index}
            mode={mode}
            rich={rich}
          />
        </div>
      )}
      {example && (
        <div class="outputs" data-outputs={outputs.length}>
          {outputs.map((o) => (
            <OutputCard
              key={o.model}
              output={o.model === detail.model ? { ...o, cut: o.cut ?? detail.truncated?.outputText } : o}
              current={o.model === detail.model}
              index={index}
              mode={mode}
              rich={rich}
            />
          ))}
        </div>
      )}
    </section>
  );
}

function OutputCard({
  output: o,
  current,
  index,
  mode,
  rich,
}: {
  output: ExampleOutput;
  current: boolean;
  index: TreeIndex;
  mode: Overview['mode'];
  rich: boolean;
}) {
  const leaf = o.failure?.leaf ? index.byId.get(o.failure.leaf) : undefined;
  const answer = o.answer ? o.outputText.slice(o.answer[0], o.answer[1]) : undefined;
  return (
    <article
      class={`output-card${o.failed ? ' failed' : ' correct'}${current ? ' current' : ''}${o.shownToJudge ? ' shown' : ''}`}
      data-model={o.model}
      data-current={current ? 'true' : undefined}
    >
      <header>
        <strong class="output-model">{o.model}</strong>
        <span class={o.failed ? 'chip bad' : 'chip good'}>{o.failed ? 'failed' : 'correct'}</span>
        <span class="muted small">{o.score === undefined ? 'no score' : `score ${fmtScore(o.score)}`}</span>
        {current && <span class="chip">this failure</span>}
        {o.shownToJudge && <span class="chip judge">shown to the judge</span>}
      </header>
      {o.failure && !current && (
        <p class="output-category small">
          <a href={routeHash('failures', { open: o.failure.id })}>{leaf ? leaf.name : o.failure.title || 'its failure'}</a>
          {o.failure.status !== 'error' && <span class="muted"> ({o.failure.status})</span>}
        </p>
      )}
      {!o.failure && o.failed && <p class="output-category small muted">failed, not sampled for analysis</p>}
      {answer !== undefined && (
        <p class="final-answer-line small">
          Final answer: <mark class="final-answer">{answer.length > 120 ? `${answer.slice(0, 117)}…` : answer}</mark>
        </p>
      )}
      <OutputText text={o.outputText} answer={o.answer} rich={rich} />
      {o.cut !== undefined && <CutNote shown={o.outputText.length} total={o.cut} mode={mode} />}
    </article>
  );
}

/** An output: its end by default when long (the final answer is there), the rest one click away. */
export function OutputText({ text, answer, rich }: { text: string; answer?: [number, number]; rich: boolean }) {
  const [whole, setWhole] = useState(false);
  let start = 0;
  if (!whole && text.length > TAIL_CHARS + 300) {
    start = text.length - TAIL_CHARS;
    const line = text.indexOf('\n', start);
    if (line >= 0 && line - start < 300) start = line + 1;
  }
  const shown = start > 0 ? text.slice(start) : text;
  const mark: [number, number] | undefined = answer && answer[0] >= start ? [answer[0] - start, answer[1] - start] : undefined;
  return (
    <div class="output-text">
      {start > 0 && (
        <button type="button" class="link expand" onClick={() => setWhole(true)}>
          ▸ Show the first {fmtInt(start)} characters too ({fmtInt(text.length)} in all)
        </button>
      )}
      <RichOrPlain text={shown} mark={mark} rich={rich} />
      {whole && text.length > TAIL_CHARS + 300 && (
        <button type="button" class="link expand" onClick={() => setWhole(false)}>
          ▴ Show only the end
        </button>
      )}
    </div>
  );
}

type RichText = typeof import('./rich-text.js');
let richText: Promise<RichText> | undefined;

/** The Markdown/LaTeX renderer, loaded on the first failure shown (it is most of the page's script: the map need not wait for it). */
function useRichText(): RichText | undefined {
  const [module, setModule] = useState<RichText | undefined>(undefined);
  useEffect(() => {
    let live = true;
    richText ??= import('./rich-text.js');
    richText.then((m) => live && setModule(m));
    return () => {
      live = false;
    };
  }, []);
  return module;
}

/** A text as sanitised Markdown and LaTeX, or as plain text; `mark` is highlighted in both. */
function RichOrPlain({ text, mark, rich }: { text: string; mark?: [number, number]; rich: boolean }) {
  const renderer = useRichText();
  if (rich && renderer) {
    // renderRich sanitises its whole output with DOMPurify: the one place data becomes markup.
    return <div class="text rich" dangerouslySetInnerHTML={{ __html: renderer.renderRich(text, mark) }} />;
  }
  if (!mark) return <pre class="text">{text}</pre>;
  return (
    <pre class="text">
      {text.slice(0, mark[0])}
      <mark class="final-answer">{text.slice(mark[0], mark[1])}</mark>
      {text.slice(mark[1])}
    </pre>
  );
}

function CutNote({ shown, total, mode }: { shown: number; total: number; mode: Overview['mode'] }) {
  return (
    <p class="cut-marker" role="note">
      Truncated: showing {fmtInt(shown)} of {fmtInt(total)} characters (the start and the end).
      {mode === 'report' ? ' Run `errormap view` on the run for the full text.' : ''}
    </p>
  );
}

export function TextBlock({
  label,
  text,
  cut,
  mode,
  rich = false,
  badge,
}: {
  label: string;
  text: string;
  cut?: number;
  mode: Overview['mode'];
  rich?: boolean;
  badge?: string;
}) {
  return (
    <section class="text-block">
      <h3>
        {label} {badge && <span class="chip judge">{badge}</span>}
      </h3>
      {rich ? <OutputText text={text} rich /> : <pre class="text">{text}</pre>}
      {cut !== undefined && <CutNote shown={text.length} total={cut} mode={mode} />}
    </section>
  );
}

/** The judge's criteria: what a correct answer needs, and how the output did on each; a comment said before is not repeated. */
export function CriteriaTable({ criteria, comments }: { criteria: FailureDetail['criteria']; comments?: (string | null)[] }) {
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
              <td>{comments?.[i] === null ? <span class="muted said-above">(said above)</span> : c.comment}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
