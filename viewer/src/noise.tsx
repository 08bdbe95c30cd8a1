import type { HardExample, JudgedCorrectFailure } from '../../src/chart/noise.js';
import { fmtInt, fmtPct } from './format.js';
import { useLoad } from './load.js';
import { routeHash } from './route.js';
import type { DataSource } from './source.js';

/** Suspected benchmark noise: examples most models fail, and failures the judge found no error in. */
export function NoiseView({ source }: { source: DataSource }) {
  const loaded = useLoad(() => source.noise(), source);
  if (loaded.state === 'loading') return <p class="muted">Loading…</p>;
  if (loaded.state === 'error') return <p class="error">Could not load the noise candidates: {loaded.error}</p>;
  const noise = loaded.value;
  const shown = (n: number, total: number) => (n < total ? `showing ${fmtInt(n)} of ${fmtInt(total)}` : `${fmtInt(total)}`);
  return (
    <div class="noise">
      <section class="panel">
        <h2>
          Examples most models fail <span class="muted count">· {shown(noise.hardExamples.length, noise.hardTotal)}</span>
        </h2>
        <p class="muted">
          Examples that at least 80% of the models evaluated on them (3 or more) fail, counted over every prediction, not only the sampled
          failures. The item may be wrong, ambiguous or mis-scored: check the reference. Evidence is what the judge said about the failures
          on it that were analysed, and the detectors' benchmark-noise findings.
        </p>
        {noise.hardExamples.length === 0 ? (
          <p class="empty">No example is failed by most models.</p>
        ) : (
          <table class="grid noise-table hard-examples">
            <thead>
              <tr>
                <th>Example</th>
                <th>Dataset</th>
                <th class="num">Models failed</th>
                <th>Evidence</th>
              </tr>
            </thead>
            <tbody>
              {noise.hardExamples.map((e) => (
                <HardExampleRow key={`${e.dataset}/${e.exampleId}`} example={e} />
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section class="panel">
        <h2>
          Failures the judge found correct <span class="muted count">· {shown(noise.judgedCorrect.length, noise.judgedCorrectTotal)}</span>
        </h2>
        <p class="muted">Failures whose analysis found no error: a correct answer scored wrong, or an error in the benchmark.</p>
        {noise.judgedCorrect.length === 0 ? (
          <p class="empty">The judge found an error in every analysed failure.</p>
        ) : (
          <table class="grid noise-table judged-correct">
            <thead>
              <tr>
                <th>Example</th>
                <th>Dataset</th>
                <th>Model</th>
                <th>Evidence</th>
              </tr>
            </thead>
            <tbody>
              {noise.judgedCorrect.map((f) => (
                <JudgedCorrectRow key={f.failureId} failure={f} />
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

/** The judge's titles on an example's analysed failures, each with the models it was said of. */
function byTitle(analyses: HardExample['analyses']): [string, HardExample['analyses']][] {
  const groups = new Map<string, HardExample['analyses']>();
  for (const a of analyses) {
    const title = a.hasError === false ? `No error found (${a.errorTitle ?? ''})` : (a.errorTitle ?? 'Not analysed');
    groups.set(title, [...(groups.get(title) ?? []), a]);
  }
  return [...groups].sort((x, y) => y[1].length - x[1].length);
}

function HardExampleRow({ example: e }: { example: HardExample }) {
  return (
    <tr class="noise-row" data-example-id={e.exampleId}>
      <td>
        <span class="mono">{e.exampleId}</span>
        {e.input && <p class="snippet">{e.input}</p>}
        {e.reference !== undefined && (
          <p class="snippet">
            <span class="muted">Reference:</span> {e.reference}
          </p>
        )}
      </td>
      <td>{e.dataset}</td>
      <td class="num" title={e.failedModels.join(', ')}>
        <strong class="failed-models">
          {e.failedModels.length} of {e.models}
        </strong>
        <div class="muted">{fmtPct(e.failShare)}</div>
      </td>
      <td>
        {e.analyses.length === 0 && e.findings.length === 0 && <span class="muted">no failure on it was sampled for analysis</span>}
        <ul class="noise-evidence">
          {byTitle(e.analyses).map(([title, analyses]) => (
            <li key={title}>
              {title}:{' '}
              {analyses.map((a, i) => (
                <span key={a.failureId}>
                  {i > 0 && ', '}
                  <a href={routeHash('failures', { open: a.failureId })}>{a.model}</a>
                </span>
              ))}
            </li>
          ))}
          {e.findings.map((f, i) => (
            <li key={`f${i}`}>
              <span class="chip warn">{f.title}</span> {f.summary}
              {f.precision && <span class="muted small"> ({f.precision})</span>}
            </li>
          ))}
        </ul>
      </td>
    </tr>
  );
}

function JudgedCorrectRow({ failure: f }: { failure: JudgedCorrectFailure }) {
  return (
    <tr class="noise-row" data-failure-id={f.failureId}>
      <td>
        <a class="mono" href={routeHash('failures', { open: f.failureId })}>
          {f.exampleId}
        </a>
        {f.reference !== undefined && (
          <p class="snippet">
            <span class="muted">Reference:</span> {f.reference}
          </p>
        )}
      </td>
      <td>{f.dataset}</td>
      <td>{f.model}</td>
      <td>
        <strong>{f.errorTitle}</strong>
        <p class="snippet">{f.errorSummary}</p>
        {f.findings.length > 0 && (
          <ul class="noise-evidence">
            {f.findings.map((x, i) => (
              <li key={i}>
                <span class="chip warn">{x.title}</span> {x.summary}
                {x.precision && <span class="muted small"> ({x.precision})</span>}
              </li>
            ))}
          </ul>
        )}
      </td>
    </tr>
  );
}
