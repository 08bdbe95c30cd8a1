import { describe, expect, it } from 'vitest';
import type { RunRecord, TaskUsage } from '../contracts/run-record.js';
import type { TaxonomyNode } from '../contracts/taxonomy-node.js';
import { runSummaryText, topCategoriesText, usageLines, wallTime } from './run-summary.js';

function node(name: string, count: number, share: number, children: TaxonomyNode[] = []): TaxonomyNode {
  return { id: name, name, description: '', depth: 0, count, share, children };
}

const LONG = 'Answer matches the reference but was scored wrong by the benchmark';
const tree = node('LLM Errors', 10, 1, [
  node('Reasoning', 4, 0.4),
  node('Scoring', 6, 0.6, [
    node(LONG, 2, 1 / 3),
    node('Format mismatch', 1, 1 / 6),
    node('Unit mismatch', 1, 1 / 6),
    node('Rounding', 1, 1 / 6),
    node('Case', 1, 1 / 6),
    node('Empty child', 0, 0),
  ]),
]);

function record(usage: Record<string, TaskUsage>, extra: Partial<RunRecord> = {}): RunRecord {
  return {
    formatVersion: 1,
    status: 'finished',
    tool: { name: 'errormap', version: '0.1.0' },
    startedAt: '2026-01-01T10:00:00.000Z',
    finishedAt: '2026-01-01T10:03:07.400Z',
    settings: {},
    judge: 'openai:gpt-4.1-mini',
    offline: false,
    inputs: [],
    counts: { predictions: 100, failures: 40, sampled: 10, analysed: 10, noError: 1, analysisFailed: 0, categories: 8 },
    usage,
    promptVersions: {},
    ...extra,
  };
}

const task = { calls: 6, retries: 1, cachedCalls: 2, failedCalls: 1, inputTokens: 3000, outputTokens: 200, cachedInputTokens: 1500 };

describe('the printed top categories', () => {
  it('lists every child the viewer shows, largest first, and wraps a long name instead of cutting it', () => {
    const text = topCategoriesText(tree);
    expect(text).toBe(
      [
        "Top error categories (10 analysed failures; a child's share is of its parent)",
        'category                                                failures  share',
        '------------------------------------------------------  --------  -----',
        'Scoring                                                        6  60.0%',
        '  Answer matches the reference but was scored wrong by         2  33.3%',
        '  the benchmark',
        '  Format mismatch                                              1  16.7%',
        '  Unit mismatch                                                1  16.7%',
        '  Rounding                                                     1  16.7%',
        '  Case                                                         1  16.7%',
        '  Empty child                                                  0   0.0%',
        'Reasoning                                                      4  40.0%',
        '',
      ].join('\n'),
    );
  });
});

describe('the run summary', () => {
  it('gives wall time, calls, tokens with the cached ones apart, cost, and the commands that open the result', () => {
    const text = runSummaryText({ dir: 'runs/demo', record: record({ error_analysis: { ...task, costUsd: 0.0123 } }), taxonomy: tree });
    expect(text).toContain(
      [
        '10 failures analysed (1 with no error found, 0 could not be analysed) by openai:gpt-4.1-mini.',
        'Wall time:   3 min 07 s',
        "Judge calls: 6 sent (1 retries), 1 failed, 2 answered from the run's cache",
        "Tokens:      3,000 input, of which 1,500 read from the provider's prompt cache (50.0%); 200 output",
        'Cost:        $0.0123',
        '',
        'Taxonomy: runs/demo/taxonomy.json',
        'Errors:   runs/demo/errors.csv',
        '',
        'Open the result:',
        '  errormap view runs/demo      # the interactive viewer in your browser',
        '  errormap report runs/demo    # writes runs/demo/report.html, one self-contained file',
        '',
      ].join('\n'),
    );
  });

  it('says the price is unknown instead of a cost of $0 when a task has no known price', () => {
    const lines = usageLines({ error_analysis: { ...task, costUsd: 0.5 }, taxonomy_review: { ...task } });
    expect(lines.at(-1)).toBe('Cost:        unknown price (the model is not in the price table; give --price INPUT,OUTPUT to count it)');
  });

  it('names the report written with --report, quotes a path a shell would split, and needs no judge line offline', () => {
    const offline = record({}, { judge: 'offline', offline: true });
    const text = runSummaryText({ dir: 'my runs/a', record: offline, taxonomy: tree }, 'my runs/a/report.html');
    expect(text).toContain('Judge calls: none (the offline analyst needs no judge); cost $0\n');
    expect(text).toContain('Report:   my runs/a/report.html\n');
    expect(text).toContain("  errormap view 'my runs/a'");
    expect(text).not.toContain('errormap report');
  });

  it('counts the predictions left out for having no score, with their most frequent reasons', () => {
    const base = record({}, { judge: 'offline', offline: true });
    const counts = {
      ...base.counts,
      unscored: 13,
      unscoredReasons: [
        { reason: 'no score: metric "acc" is NaN', predictions: 9 },
        { reason: 'sample cancelled', predictions: 2 },
        { reason: 'no score: the score is null', predictions: 1 },
        { reason: 'request failed', predictions: 1 },
      ],
    };
    const text = runSummaryText({ dir: 'r', record: { ...base, counts }, taxonomy: tree });
    expect(text).toContain(
      '13 of 100 predictions have no score and are left out of thresholds, failures and rates (9 no score: metric "acc" is NaN; 2 sample cancelled; 1 no score: the score is null; …).\n',
    );
    expect(runSummaryText({ dir: 'r', record: base, taxonomy: tree })).not.toContain('no score');
  });

  it('formats wall time in seconds, minutes or hours', () => {
    expect([wallTime(12_400), wallTime(187_400), wallTime(3_725_000)]).toEqual(['12.4 s', '3 min 07 s', '1 h 02 min']);
  });
});
