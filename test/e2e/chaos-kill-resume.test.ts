/**
 * Chaos: `errormap run` is killed (SIGKILL) at 20 seeded moments spread over every stage — reading,
 * analysis, taxonomy, and the files, signatures and report written at the end — and resumed each
 * time. After every kill no file of a finished run may be missing, empty or cut off; over the whole
 * test no judge answer that reached the run's call cache may be paid for again; and the final
 * taxonomy.json and errors.csv must equal those of a run that was never interrupted.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeCallKey, judgeParameters } from '../../src/judge/create-judge.js';
import type { JudgeTask } from '../../src/judge/judge.js';
import { JUDGE_TASKS } from '../../src/prompts/judge-tasks.js';
import { RUN_FILES, type RunFileRole, runFile } from '../../src/store/run-dir.js';
import { runCli, scriptedRunArgs, spawnCli } from '../support/cli-process.js';
import { type JudgeServer, startJudgeServer } from '../support/judge-server.js';
import { scriptedAnalysisAnswer } from '../support/scripted-analysis-answers.js';
import { startScriptedErrormapJudge } from '../support/scripted-errormap-judge.js';
import { scriptedTaxonomyAnswer } from '../support/scripted-taxonomy-answers.js';

const SEED = 20_260_112;
const KILLS = 20;
const CONCURRENCY = 4;
/** Each answer takes this long, so the analysis and taxonomy stages last long enough to be hit. */
const ANSWER_DELAY_MS = 30;
const RUN_ARGS = ['--report', '--json', '--concurrency', String(CONCURRENCY)];

/** Where a kill is aimed: a progress event of the run (or its start), then a seeded delay. */
type Anchor = 'spawn' | 'stage:read' | 'stage:analyse' | 'stage_done:analyse';
// Measured on the bundled sample: about 1 s to load and reach the read stage, 0.3 s to read and
// detect, 1 s of analysis while answers are new, 0.1 s of taxonomy, then 0.1 s of files, signatures
// and report. The windows are sized so that kills land in each.
const ANCHORS: { anchor: Anchor; maxDelayMs: number }[] = [
  { anchor: 'spawn', maxDelayMs: 1300 }, // loading, reading the inputs
  { anchor: 'stage:read', maxDelayMs: 350 }, // reading, preparing, detecting
  { anchor: 'stage:analyse', maxDelayMs: 300 }, // judge analyses (once cached: taxonomy and files)
  { anchor: 'stage_done:analyse', maxDelayMs: 150 }, // taxonomy, files, signatures, report
];

/** Files every finished run has; each must be there, non-empty and whole. */
const FINISHED_FILES: RunFileRole[] = ['record', 'taxonomy', 'errors', 'analyses', 'unanalysed', 'signaturesCsv', 'signaturesJson'];

function killSchedule(): { anchor: Anchor; delayMs: number }[] {
  const rng = xoroshiro128plus(SEED);
  return Array.from({ length: KILLS }, (_, i) => {
    const { anchor, maxDelayMs } = ANCHORS[i % ANCHORS.length];
    return { anchor, delayMs: uniformInt(rng, 0, maxDelayMs) };
  });
}

/** The call-cache key errormap computes for a request this server received (the run's judge settings are the defaults). */
function cacheKeyOf(task: string, system: string, user: string): Promise<string> {
  const target = { provider: 'openai-compatible', model: 'scripted-judge', parameters: judgeParameters({}) };
  const schema = JUDGE_TASKS[task as JudgeTask].schema;
  return judgeCallKey<unknown>(target, { task: task as JudgeTask, system, user, schema }).then((k) => k.key);
}

/**
 * The scripted judge, recording the cache key of every answer it sends with the epoch it was sent in
 * (epoch k lies between kill k and kill k + 1). The probe is left out: it is never cached.
 */
async function recordingJudge() {
  const answered: { key: string; epoch: number }[] = [];
  let epoch = 0;
  let inFlight = 0;
  const server = await startJudgeServer({
    async respond(req) {
      if (req.task === 'judge_probe') return { json: { ok: true } };
      inFlight++;
      try {
        const sentIn = epoch;
        await new Promise((resolve) => setTimeout(resolve, ANSWER_DELAY_MS));
        answered.push({ key: await cacheKeyOf(req.task, req.system, req.user), epoch: sentIn });
        return { json: req.task === 'error_analysis' ? scriptedAnalysisAnswer(req.user) : scriptedTaxonomyAnswer(req) };
      } finally {
        inFlight--;
      }
    },
  });
  /** Waits for answers still being sent to a killed process, then starts the next epoch. */
  const nextEpoch = async () => {
    while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    epoch++;
  };
  return { server, answered, nextEpoch };
}

/**
 * The keys in the run's call cache; none before the database exists. Opened for writing, as the next
 * run opens it: a kill inside a transaction leaves a journal that only a writer may roll back.
 */
function cachedKeys(dir: string): Set<string> {
  if (!existsSync(runFile(dir, 'database'))) return new Set();
  const db = new Database(runFile(dir, 'database'), { fileMustExist: true });
  try {
    return new Set((db.prepare('SELECT key FROM judge_calls').all() as { key: string }[]).map((r) => r.key));
  } catch (e) {
    if (/no such table/.test((e as Error).message)) return new Set(); // killed before the schema was created
    throw e;
  } finally {
    db.close();
  }
}

/** Problems with the files of the run directory, if its record says the run finished. */
function finishedRunProblems(dir: string): string[] {
  if (!existsSync(runFile(dir, 'record'))) return [];
  const text = readFileSync(runFile(dir, 'record'), 'utf8');
  let status: string;
  try {
    status = JSON.parse(text).status;
  } catch {
    return [`${RUN_FILES.record} is not whole JSON (${text.length} bytes)`];
  }
  if (status !== 'finished' && status !== 'incomplete') return [];
  const problems: string[] = [];
  for (const role of FINISHED_FILES) {
    const file = runFile(dir, role);
    if (!existsSync(file)) problems.push(`${RUN_FILES[role]} is missing`);
    else if (statSync(file).size === 0) problems.push(`${RUN_FILES[role]} is empty`);
    else if (file.endsWith('.json')) {
      try {
        JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        problems.push(`${RUN_FILES[role]} is not whole JSON`);
      }
    }
  }
  // report.html comes after the run is finished; when it is there, it must be whole.
  const report = runFile(dir, 'report');
  if (existsSync(report) && !readFileSync(report, 'utf8').trimEnd().endsWith('</html>')) problems.push(`${RUN_FILES.report} is cut off`);
  return problems;
}

/** Starts a run and SIGKILLs it `delayMs` after `anchor`; says which stage it was in (or that it ended first). */
async function runAndKill(args: string[], anchor: Anchor, delayMs: number): Promise<string> {
  const { child, done } = spawnCli(args);
  let stage = 'start';
  let buffered = '';
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    timer ??= setTimeout(() => child.kill('SIGKILL'), delayMs);
  };
  if (anchor === 'spawn') arm();
  child.stderr?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      let event: { event?: string; stage?: string };
      try {
        event = JSON.parse(line);
      } catch {
        continue;
      }
      if (event.event === 'stage' && event.stage) stage = event.stage;
      if (event.event === 'stage_done' && event.stage === 'analyse') stage = 'taxonomy, files, signatures or report';
      if (`${event.event}:${event.stage}` === anchor) arm();
    }
  });
  const result = await done;
  clearTimeout(timer);
  return result.code === null ? stage : `ended (exit ${result.code}) before the kill`;
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'errormap-chaos-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('chaos: SIGKILL at 20 seeded moments, resumed each time', () => {
  let reference: string;
  beforeAll(async () => {
    const server: JudgeServer = await startScriptedErrormapJudge();
    try {
      reference = join(tmp, 'uninterrupted');
      expect((await runCli(scriptedRunArgs(server, reference, RUN_ARGS))).code).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('leaves no finished run with a missing or empty file, pays for no cached answer twice, and ends with the same files', async () => {
    const { server, answered, nextEpoch } = await recordingJudge();
    const out = join(tmp, 'killed');
    const args = scriptedRunArgs(server, out, RUN_ARGS);
    const hit: string[] = [];
    /** cachedBefore[e]: the cache when epoch e began. */
    const cachedBefore: Set<string>[] = [new Set()];
    try {
      for (const [i, { anchor, delayMs }] of killSchedule().entries()) {
        const stage = await runAndKill(args, anchor, delayMs);
        hit.push(stage);
        await nextEpoch();
        expect(finishedRunProblems(out), `kill ${i + 1} (${anchor} + ${delayMs} ms, in ${stage})`).toEqual([]);
        const cached = cachedKeys(out);
        expect(
          [...cachedBefore[i]].filter((k) => !cached.has(k)),
          `answers dropped from the cache at kill ${i + 1}`,
        ).toEqual([]);
        cachedBefore.push(cached);
      }
      const last = await runCli(args);
      expect(last.code, last.stderr.slice(-2000)).toBe(0);
    } finally {
      await server.close();
    }
    expect(finishedRunProblems(out)).toEqual([]);

    // Paid twice: an answer sent again although the cache already held it when the (resumed) run started,
    // or sent twice by one process. Answers lost with a killed process may be asked again.
    const paidTwice = answered.filter(({ key, epoch }) => cachedBefore[epoch].has(key));
    const seen = new Set<string>();
    const twiceInOneRun = answered.filter(({ key, epoch }) => {
      const id = `${epoch}:${key}`;
      if (seen.has(id)) return true;
      seen.add(id);
      return false;
    });
    expect(paidTwice, `kills hit: ${hit.join('; ')}`).toEqual([]);
    expect(twiceInOneRun).toEqual([]);
    // The uninterrupted last run keeps every answer it received. (A killed run may lose its last few
    // milliseconds of answers, which a resumed run asks again only if it still needs them.)
    const finalCache = cachedKeys(out);
    const lastEpoch = cachedBefore.length - 1;
    expect(answered.filter((a) => a.epoch === lastEpoch && !finalCache.has(a.key))).toEqual([]);

    for (const role of ['taxonomy', 'errors'] as const) {
      expect(readFileSync(runFile(out, role), 'utf8'), RUN_FILES[role]).toBe(readFileSync(runFile(reference, role), 'utf8'));
    }
    // The seeded moments reach every part of a run: before the analysis, inside it, and after it.
    expect(hit.filter((s) => s === 'start' || s === 'read' || s === 'detect').length, hit.join('; ')).toBeGreaterThan(0);
    expect(hit.filter((s) => s === 'analyse').length, hit.join('; ')).toBeGreaterThan(0);
    expect(hit.filter((s) => s.startsWith('taxonomy')).length, hit.join('; ')).toBeGreaterThan(0);
  });
});
