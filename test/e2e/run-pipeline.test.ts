import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/contracts/run-record.js';
import type { TaxonomyNode } from '../../src/contracts/taxonomy-node.js';
import { BUILTIN_PROMPTS_DIR } from '../../src/prompts/prompt-loader.js';
import { startBatchServer } from '../support/batch-server.js';
import { EXAMPLE_DATA, runCli, scriptedRunArgs, spawnCli } from '../support/cli-process.js';
import type { JudgeServer } from '../support/judge-server.js';
import { scriptedAnalysisAnswer } from '../support/scripted-analysis-answers.js';
import { startScriptedErrormapJudge } from '../support/scripted-errormap-judge.js';
import { scriptedTaxonomyAnswer } from '../support/scripted-taxonomy-answers.js';
import { expectConsistentTree, leafPaths } from '../support/tree-invariants.js';

const DATA = EXAMPLE_DATA;
const SECRET = 'sk-test-errormap-secret-4f9a1c77e2b0d35a';
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'errormap-e2e-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function readRun(dir: string) {
  const taxonomy = JSON.parse(readFileSync(join(dir, 'taxonomy.json'), 'utf8')) as TaxonomyNode;
  const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunRecord;
  const errors = parse(readFileSync(join(dir, 'errors.csv')), { columns: true }) as Record<string, string>[];
  const unanalysed = parse(readFileSync(join(dir, 'unanalysed.csv')), { columns: true }) as Record<string, string>[];
  return { taxonomy, record, errors, unanalysed };
}

describe('errormap run with a judge (scripted OpenAI-compatible server)', () => {
  let server: JudgeServer;
  let runDir: string;
  beforeAll(async () => {
    server = await startScriptedErrormapJudge();
    runDir = join(tmp, 'full');
    const result = await runCli(scriptedRunArgs(server, runDir), { OPENAI_COMPATIBLE_API_KEY: SECRET });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
  afterAll(() => server.close());

  it('places every analysed failure in exactly one leaf, with counts and shares that add up', () => {
    const { taxonomy, record, errors } = readRun(runDir);
    expect(record.status).toBe('finished');
    expect(record.counts.analysed).toBeGreaterThan(20);
    expect(errors).toHaveLength(record.counts.analysed);
    expect(taxonomy.name).toBe('LLM Errors');
    expectConsistentTree(
      taxonomy,
      errors.map((e) => e.failure_id),
    );
    // errors.csv carries the category path of the leaf each failure sits in.
    const paths = leafPaths(taxonomy);
    for (const row of errors) {
      const csvPath = Object.keys(row)
        .filter((k) => k.startsWith('category_'))
        .sort()
        .map((k) => row[k])
        .filter(Boolean)
        .join(' > ');
      expect(csvPath).toBe(paths.get(row.failure_id));
    }
  });

  it('records calls and tokens per judge task, and made the taxonomy calls the method prescribes', () => {
    const { record } = readRun(runDir);
    expect(record.usage.error_analysis.calls).toBe(record.counts.sampled);
    expect(record.usage.error_analysis.inputTokens).toBeGreaterThan(0);
    const byTask = server.countByTask();
    expect(byTask.taxonomy_generation).toBeGreaterThanOrEqual(1);
    expect(byTask.taxonomy_review).toBeGreaterThanOrEqual(1);
    expect(byTask.error_classification).toBeGreaterThanOrEqual(1);
    const request = server.requests.find((r) => r.task === 'error_analysis');
    expect(request?.body.response_format?.type).toBe('json_schema');
    expect(request?.body.response_format?.json_schema?.name).toBe('error_analysis');
  });

  it('keeps the review rating of every divided node in run.json, the root first', () => {
    const { record } = readRun(runDir);
    const ratings = record.taxonomyRatings ?? [];
    expect(ratings[0]).toMatchObject({ nodeId: 'root', path: [] });
    expect(ratings[0].ratings.at(-1)).toMatchObject({ task: 'taxonomy_review', rating: 85 });
    expect(ratings.length).toBeGreaterThanOrEqual(1);
  });

  it('keeps analyses that found no error, filed where they can be seen', () => {
    const { taxonomy, record } = readRun(runDir);
    expect(record.counts.noError).toBeGreaterThan(0);
    const noError = taxonomy.children.find((c) => c.name === 'No error found');
    expect(noError?.count).toBe(record.counts.noError);
  });

  it('writes the API key into no file of the run directory', () => {
    for (const file of readdirSync(runDir)) {
      expect(readFileSync(join(runDir, file)).includes(SECRET), file).toBe(false);
    }
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${SECRET}`);
  });

  it('--dry-run counts what a run would send: nothing once every analysis is cached, and it calls no judge', async () => {
    const before = server.requests.length;
    const { record } = readRun(runDir);
    const dry = await runCli([...scriptedRunArgs(server, runDir), '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ sampled: record.counts.sampled, cached: record.counts.sampled, toSend: 0 });
    // A dry run with other settings leaves the existing run as it was.
    expect((await runCli([...scriptedRunArgs(server, runDir), '--ratio', '0.05', '--dry-run'])).code).toBe(0);
    const db = new Database(join(runDir, 'errormap.db'), { readonly: true });
    expect((db.prepare('SELECT COUNT(*) AS n FROM failures').get() as { n: number }).n).toBe(record.counts.sampled);
    db.close();
    const fresh = await runCli([...scriptedRunArgs(server, join(tmp, 'dry-fresh')), '--dry-run', '--json']);
    expect(JSON.parse(fresh.stdout)).toMatchObject({ sampled: record.counts.sampled, cached: 0, toSend: record.counts.sampled });
    expect(JSON.parse(fresh.stdout).inputTokens).toBeGreaterThan(record.counts.sampled * 100);
    expect(JSON.parse(fresh.stdout).cachedInputTokens).toBeLessThan(JSON.parse(fresh.stdout).inputTokens);
    expect(server.requests.length).toBe(before);
  });

  it('running the same command again sends no request and gives the same files', async () => {
    const before = server.requests.length;
    const first = readRun(runDir);
    const again = await runCli(scriptedRunArgs(server, runDir), { OPENAI_COMPATIBLE_API_KEY: SECRET });
    expect(again.code).toBe(0);
    expect(server.requests.length).toBe(before);
    const second = readRun(runDir);
    expect(second.taxonomy).toEqual(first.taxonomy);
    expect(second.errors).toEqual(first.errors);
    expect(second.record.usage.error_analysis.cachedCalls).toBe(first.record.counts.sampled);
  });

  it('--prompts DIR: records the version of every prompt the run used; a changed template redoes only its own calls', async () => {
    const first = readRun(runDir).record;
    expect(Object.keys(first.promptVersions)).toEqual([
      'error_analysis',
      'taxonomy_generation',
      'taxonomy_update',
      'taxonomy_review',
      'error_classification',
    ]);
    const prompts = join(tmp, 'prompts-override');
    mkdirSync(prompts);
    const review = readFileSync(join(BUILTIN_PROMPTS_DIR, 'taxonomy_review.system.njk'), 'utf8');
    writeFileSync(join(prompts, 'taxonomy_review.system.njk'), `${review}\nKeep every name short.\n`);
    const before = server.requests.length;
    const result = await runCli([...scriptedRunArgs(server, runDir), '--prompts', prompts], { OPENAI_COMPATIBLE_API_KEY: SECRET });
    expect(result.code).toBe(0);
    const second = readRun(runDir).record;
    expect(second.promptVersions.taxonomy_review).not.toBe(first.promptVersions.taxonomy_review);
    expect({ ...second.promptVersions, taxonomy_review: '' }).toEqual({ ...first.promptVersions, taxonomy_review: '' });
    const sent = server.requests.slice(before).map((r) => r.task);
    expect(sent).toContain('taxonomy_review');
    expect(sent).not.toContain('error_analysis');
  });
});

describe('resume after a kill', () => {
  it('repeats no finished call and ends with the same result as an uninterrupted run', async () => {
    const server = await startScriptedErrormapJudge({ delayMs: 40 });
    try {
      const reference = join(tmp, 'uninterrupted');
      expect((await runCli(scriptedRunArgs(server, reference, ['--concurrency', '2']))).code).toBe(0);

      const killed = join(tmp, 'killed');
      const before = server.countByTask().error_analysis ?? 0;
      const { child, done } = spawnCli(scriptedRunArgs(server, killed, ['--concurrency', '2']));
      // Kill once a good part of the analyses has been answered.
      while ((server.countByTask().error_analysis ?? 0) - before < 10) await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGKILL');
      await done;

      const db = new Database(join(killed, 'errormap.db'), { readonly: true });
      const finished = (db.prepare("SELECT COUNT(*) AS n FROM judge_calls WHERE task = 'error_analysis'").get() as { n: number }).n;
      db.close();
      expect(finished).toBeGreaterThanOrEqual(5);

      const sentBefore = server.countByTask().error_analysis ?? 0;
      expect((await runCli(scriptedRunArgs(server, killed, ['--concurrency', '2']))).code).toBe(0);
      const resumed = readRun(killed);
      const sentOnResume = (server.countByTask().error_analysis ?? 0) - sentBefore;
      expect(sentOnResume).toBe(resumed.record.counts.sampled - finished);

      const uninterrupted = readRun(reference);
      expect(resumed.taxonomy).toEqual(uninterrupted.taxonomy);
      expect(resumed.errors).toEqual(uninterrupted.errors);
    } finally {
      await server.close();
    }
  });
});

describe('judge answers that go wrong', () => {
  it('asks again after a schema-breaking answer, and records a call that keeps failing with its reason', async () => {
    let doomed: string | undefined;
    const server = await startScriptedErrormapJudge({
      override(req) {
        if (req.task !== 'error_analysis') return undefined;
        // Every first ask gets an answer that breaks the schema: the judge must re-ask.
        if (req.reasks === 0) return { json: { criteria: [], error_title: 42 } };
        doomed ??= req.user;
        if (req.user === doomed) return { status: 500, body: 'scripted outage' };
        return undefined;
      },
    });
    try {
      const out = join(tmp, 'flaky');
      const result = await runCli(scriptedRunArgs(server, out, ['--max-retries', '1', '--concurrency', '1']));
      // Every file is written, but the run is not whole: status incomplete, exit 3, one line saying why.
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/^errormap: RUN_INCOMPLETE: the run is incomplete: 1 of \d+ sampled failures .*HTTP 500/m);
      const { record, unanalysed, taxonomy, errors } = readRun(out);
      expect(record.status).toBe('incomplete');
      expect(record.incomplete).toMatchObject({ unanalysed: 1, unplaced: 0, reasons: [{ failures: 1 }] });
      expect(record.counts.analysisFailed).toBe(1);
      expect(unanalysed).toHaveLength(1);
      expect(unanalysed[0].reason).toMatch(/500/);
      expect(record.counts.analysed).toBe(record.counts.sampled - 1);
      expectConsistentTree(
        taxonomy,
        errors.map((e) => e.failure_id),
      );
      // The run again retries the failed call (still failing); --allow-incomplete accepts the result.
      const allowed = await runCli(scriptedRunArgs(server, out, ['--max-retries', '1', '--allow-incomplete']));
      expect(allowed.code).toBe(0);
      expect(allowed.stderr).toMatch(/warning.*the run is incomplete/);
    } finally {
      await server.close();
    }
  });
});

describe('classification that keeps failing', () => {
  it('leaves the failures of a title the judge cannot classify unplaced, not in Other, and exits 3', async () => {
    let doomed: string | undefined;
    const server = await startScriptedErrormapJudge({
      override(req) {
        if (req.task !== 'error_classification') return undefined;
        // One title breaks every call it is part of, however small the batch.
        doomed ??= /^1\. (".*")$/m.exec(req.user)?.[1];
        return doomed && req.user.includes(doomed) ? { status: 500 } : undefined;
      },
    });
    try {
      const out = join(tmp, 'unplaced');
      const result = await runCli(scriptedRunArgs(server, out, ['--max-retries', '0']));
      expect(result.code).toBe(3);
      const { record, errors, taxonomy } = readRun(out);
      expect(record.status).toBe('incomplete');
      expect(record.incomplete?.unplaced).toBeGreaterThan(0);
      expect(record.incomplete?.reasons[0].reason).toMatch(/classification at ".*": call failed \(HTTP 500/);
      const unplacedRows = errors.filter((e) => e.category_1 === '');
      expect(unplacedRows).toHaveLength(record.incomplete?.unplaced ?? -1);
      const doomedTitle = (JSON.parse(doomed ?? '""') as string).toLowerCase();
      expect(unplacedRows.every((e) => e.error_title.toLowerCase() === doomedTitle)).toBe(true);
      // The tree holds every other analysed failure, once.
      expectConsistentTree(
        taxonomy,
        errors.filter((e) => e.category_1 !== '').map((e) => e.failure_id),
      );
    } finally {
      await server.close();
    }
  });
});

describe('pre-checks', () => {
  it('--precheck label makes fewer judge calls than --precheck off on the same data', async () => {
    const server = await startScriptedErrormapJudge();
    try {
      const args = (mode: string) => scriptedRunArgs(server, join(tmp, `precheck-${mode}`), ['--precheck', mode, '--ratio', '1']);
      expect((await runCli(args('off'))).code).toBe(0);
      const offCalls = server.countByTask().error_analysis;
      expect((await runCli(args('label'))).code).toBe(0);
      const labelCalls = server.countByTask().error_analysis - offCalls;
      const { record } = readRun(join(tmp, 'precheck-label'));
      expect(record.precheck?.filed).toBeGreaterThan(0);
      expect(labelCalls).toBe(offCalls - (record.precheck?.filed ?? 0));
    } finally {
      await server.close();
    }
  });
});

describe('--batch', () => {
  it('sends the analyses as one batch job and makes no synchronous analysis call', async () => {
    const server = await startBatchServer({
      respondLine: (line) => ({ json: scriptedAnalysisAnswer(line.user) }),
      respondChat: (req) => ({ json: scriptedTaxonomyAnswer(req) }),
    });
    try {
      const out = join(tmp, 'batch');
      const args = scriptedRunArgs(server, out, ['--batch', '--batch-poll', '0.05']);
      const result = await runCli(args, { OPENAI_COMPATIBLE_API_KEY: SECRET });
      expect(result.code).toBe(0);
      const { record, errors, taxonomy } = readRun(out);
      expect(server.batchCreates).toHaveLength(1);
      expect(server.uploads[0].lines).toHaveLength(record.counts.sampled);
      expect(server.chat.countByTask().error_analysis ?? 0).toBe(0);
      expect(record.counts.analysed).toBe(record.counts.sampled);
      expectConsistentTree(
        taxonomy,
        errors.map((e) => e.failure_id),
      );
      // Run again: the answers are in the run's cache, so nothing is submitted twice.
      expect((await runCli(args, { OPENAI_COMPATIBLE_API_KEY: SECRET })).code).toBe(0);
      expect(server.batchCreates).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});

describe('offline mode', () => {
  it('builds a taxonomy with no judge and says so', async () => {
    const out = join(tmp, 'offline');
    const result = await runCli(['run', DATA, '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/offline analyst/);
    const { taxonomy, record, errors } = readRun(out);
    expect(record.offline).toBe(true);
    expect(record.judge).toBe('offline');
    expectConsistentTree(
      taxonomy,
      errors.map((e) => e.failure_id),
    );
    expect(taxonomy.children.map((c) => c.name)).toContain('Unexplained without a judge');
    expect(existsSync(join(out, 'errormap.db'))).toBe(true);
    expect(existsSync(join(out, 'signatures.csv'))).toBe(true);
  });
});

describe('bad input', () => {
  it('exits with 2 and names the file, line and field', async () => {
    const result = await runCli(['run', 'test/fixtures/bad/non-numeric-score.csv', '--out', join(tmp, 'bad')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/non-numeric-score\.csv, line \d+, field "score"/);
    // The run directory says the run failed and why, and commands that read runs refuse it.
    const record = JSON.parse(readFileSync(join(tmp, 'bad', 'run.json'), 'utf8')) as RunRecord;
    expect(record.status).toBe('failed');
    expect(record.error).toMatch(/field "score"/);
    const report = await runCli(['signatures', join(tmp, 'bad')]);
    expect(report.code).toBe(2);
  });
});

describe('errormap run --budget', () => {
  let server: JudgeServer;
  beforeAll(async () => {
    server = await startScriptedErrormapJudge();
  });
  afterAll(() => server.close());

  it('stops sending before the budget would pass, records why, and goes on when the budget is raised', async () => {
    const dir = join(tmp, 'budget');
    const analysisRequests = () => server.requests.filter((r) => r.task === 'error_analysis').length;
    // $1 per million tokens: each analysis prompt costs a few tenths of a cent.
    const stopped = await runCli(scriptedRunArgs(server, dir, ['--price', '1,1', '--budget', '0.02']));
    expect(stopped.code).not.toBe(0);
    expect(stopped.stderr).toMatch(/--budget \$0\.02 reached/);
    const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunRecord;
    expect(record.status).toBe('failed');
    expect(record.error).toMatch(/budget/);
    expect(record.budget?.refusedCalls).toBeGreaterThan(0);
    expect(record.budget?.spentUsd).toBeLessThanOrEqual(0.02);
    const paid = analysisRequests();
    expect(paid).toBeGreaterThan(0);
    expect(paid).toBeLessThan(record.counts.sampled);

    const resumed = await runCli(scriptedRunArgs(server, dir, ['--price', '1,1', '--budget', '100']));
    expect(resumed.code).toBe(0);
    const finished = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunRecord;
    expect(finished.status).toBe('finished');
    expect(finished.counts.analysed).toBe(finished.counts.sampled);
    // Answers paid for before the stop are not paid again.
    expect(analysisRequests()).toBe(finished.counts.sampled);
    expect(finished.usage.error_analysis.cachedCalls).toBe(paid);
  });
});
