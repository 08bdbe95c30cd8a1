import type { Overview } from '../../src/report/view-data.js';
import { fmtInt, fmtPct, fmtUsd } from './format.js';
import { routeHash } from './route.js';

/** The run record as the overview carries it. */
type RunRecord = Overview['summary']['record'];

/** Run information: inputs, settings, judge, calls, tokens, cost and coverage. */
export function RunInfo({ overview }: { overview: Overview }) {
  const { record, population } = overview.summary;
  return (
    <div class="run-info">
      <RunPanel record={record} />
      <CoveragePanel record={record} />
      {record.taxonomyRatings && record.taxonomyRatings.length > 0 && <RatingsPanel ratings={record.taxonomyRatings} />}
      <UsagePanel usage={record.usage} />
      <DataPanel inputs={record.inputs} population={population} />
      <SettingsPanel record={record} />
    </div>
  );
}

function RunPanel({ record }: { record: RunRecord }) {
  return (
    <section class="panel">
      <h2>Run</h2>
      <dl class="stats wide">
        <Stat label="Status" value={record.status} />
        <Stat label="Judge" value={record.offline ? 'offline (detectors only)' : record.judge} />
        <Stat label="Started" value={record.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')} />
        <Stat label="Finished" value={record.finishedAt?.replace('T', ' ').replace(/\.\d+Z$/, 'Z') ?? '—'} />
        <Stat label="errormap" value={record.tool.version} />
      </dl>
    </section>
  );
}

function CoveragePanel({ record }: { record: RunRecord }) {
  const c = record.counts;
  const coverage = c.sampled > 0 ? c.analysed / c.sampled : 0;
  return (
    <section class="panel">
      <h2>Coverage</h2>
      <dl class="stats wide">
        <Stat label="Predictions" value={fmtInt(c.predictions)} />
        {c.unscored ? <Stat label="No score (left out)" value={fmtInt(c.unscored)} /> : null}
        <Stat label="Failures" value={fmtInt(c.failures)} />
        <Stat label="Sampled" value={fmtInt(c.sampled)} />
        <Stat label="Analysed" value={`${fmtInt(c.analysed)} (${fmtPct(coverage)})`} />
        <Stat label="No error found" value={fmtInt(c.noError)} />
        <Stat label="Analysis failed" value={fmtInt(c.analysisFailed)} />
        <Stat label="Categories" value={fmtInt(c.categories)} />
      </dl>
      {record.precheck && (
        <p class="muted">
          Pre-check filed {fmtInt(record.precheck.filed)} failures without a judge call, saving {fmtInt(record.precheck.callsSaved)} calls
          (~
          {fmtInt(record.precheck.estimatedTokensSaved)} tokens).
        </p>
      )}
      {record.warnings && record.warnings.length > 0 && (
        <ul class="run-warnings" aria-label="Warnings">
          {record.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The judge's 0–100 ratings of each divided node's categories (update and review calls), with its reasons. */
function RatingsPanel({ ratings }: { ratings: NonNullable<RunRecord['taxonomyRatings']> }) {
  return (
    <section class="panel">
      <h2>Taxonomy ratings</h2>
      <table class="grid taxonomy-ratings">
        <thead>
          <tr>
            <th>Node</th>
            <th>Call</th>
            <th class="num">Rating</th>
            <th>Explanation</th>
            <th>Suggestions</th>
          </tr>
        </thead>
        <tbody>
          {ratings.flatMap((node) =>
            node.ratings.map((r) => (
              <tr key={`${node.nodeId}|${r.task}|${r.batch ?? ''}`}>
                <td>
                  <a href={routeHash('explorer', { node: node.path.length > 0 ? node.nodeId : undefined })}>
                    {node.path.length > 0 ? node.path.join(' › ') : 'LLM Errors'}
                  </a>
                </td>
                <td>{r.task === 'taxonomy_review' ? 'review' : `update, batch ${r.batch}`}</td>
                <td class="num">{r.rating}</td>
                <td>{r.explanation}</td>
                <td>{r.suggestions}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </section>
  );
}

/** Calls, tokens and cost summed over the judge tasks. */
function usageTotal(usage: RunRecord['usage']) {
  return Object.values(usage).reduce(
    (t, u) => ({
      calls: t.calls + u.calls,
      cached: t.cached + u.cachedCalls,
      failed: t.failed + u.failedCalls,
      input: t.input + u.inputTokens,
      output: t.output + u.outputTokens,
      cost: t.cost === undefined || u.costUsd === undefined ? undefined : t.cost + u.costUsd,
    }),
    { calls: 0, cached: 0, failed: 0, input: 0, output: 0, cost: 0 as number | undefined },
  );
}

function UsagePanel({ usage: byTask }: { usage: RunRecord['usage'] }) {
  const usage = Object.entries(byTask);
  const total = usageTotal(byTask);
  return (
    <section class="panel">
      <h2>Judge calls, tokens and cost</h2>
      <table class="grid">
        <thead>
          <tr>
            <th>Task</th>
            <th class="num">Calls</th>
            <th class="num">Cached</th>
            <th class="num">Failed</th>
            <th class="num">Input tokens</th>
            <th class="num">Output tokens</th>
            <th class="num">Cost</th>
          </tr>
        </thead>
        <tbody>
          {usage.map(([task, u]) => (
            <tr key={task}>
              <td>{task}</td>
              <td class="num">{fmtInt(u.calls)}</td>
              <td class="num">{fmtInt(u.cachedCalls)}</td>
              <td class="num">{fmtInt(u.failedCalls)}</td>
              <td class="num">{fmtInt(u.inputTokens)}</td>
              <td class="num">{fmtInt(u.outputTokens)}</td>
              <td class="num">{fmtUsd(u.costUsd)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th>Total</th>
            <th class="num">{fmtInt(total.calls)}</th>
            <th class="num">{fmtInt(total.cached)}</th>
            <th class="num">{fmtInt(total.failed)}</th>
            <th class="num">{fmtInt(total.input)}</th>
            <th class="num">{fmtInt(total.output)}</th>
            <th class="num">{fmtUsd(total.cost)}</th>
          </tr>
        </tfoot>
      </table>
    </section>
  );
}

function DataPanel({ inputs, population }: { inputs: RunRecord['inputs']; population: Overview['summary']['population'] }) {
  // Predictions with no usable score are in neither Predictions nor Failures; the column shows only when there are some.
  const unscored = population.some((p) => p.unscored > 0);
  return (
    <section class="panel">
      <h2>Data</h2>
      <table class="grid">
        <thead>
          <tr>
            <th>Input</th>
            <th>Format</th>
            <th class="num">Rows</th>
            <th>sha256</th>
          </tr>
        </thead>
        <tbody>
          {inputs.map((i) => (
            <tr key={i.path}>
              <td>{i.path}</td>
              <td>{i.format}</td>
              <td class="num">{fmtInt(i.rows)}</td>
              <td class="mono muted">{i.sha256.slice(0, 16)}…</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table class="grid">
        <thead>
          <tr>
            <th>Dataset</th>
            <th>Model</th>
            <th class="num">Predictions</th>
            {unscored && <th class="num">No score</th>}
            <th class="num">Failures</th>
            <th class="num">Failure rate</th>
            <th class="num">Sampled</th>
            <th class="num">Threshold</th>
          </tr>
        </thead>
        <tbody>
          {population.map((p) => (
            <tr key={`${p.dataset}|${p.model}`}>
              <td>{p.dataset}</td>
              <td>{p.model}</td>
              <td class="num">{fmtInt(p.predictions)}</td>
              {unscored && <td class="num">{fmtInt(p.unscored)}</td>}
              <td class="num">{fmtInt(p.failures)}</td>
              <td class="num">{p.predictions > 0 ? fmtPct(p.failures / p.predictions) : '–'}</td>
              <td class="num">{fmtInt(p.sampled)}</td>
              <td class="num">{p.threshold}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function SettingsPanel({ record }: { record: RunRecord }) {
  return (
    <section class="panel">
      <h2>Settings</h2>
      <dl class="meta">
        {Object.entries(record.settings).map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd class="mono">{typeof v === 'string' ? v : JSON.stringify(v)}</dd>
          </div>
        ))}
        {Object.entries(record.promptVersions).map(([k, v]) => (
          <div key={`prompt-${k}`}>
            <dt>prompt {k}</dt>
            <dd class="mono">{v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
