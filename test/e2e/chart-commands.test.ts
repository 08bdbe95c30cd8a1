import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignatureRow } from '../../src/chart/signatures.js';
import type { TaxonomyNode } from '../../src/contracts/taxonomy-node.js';
import { type CliResult, EXAMPLE_DATA, runCli, scriptedJudgeFlags, scriptedRunArgs } from '../support/cli-process.js';
import type { JudgeServer } from '../support/judge-server.js';
import { startScriptedValidationJudge } from '../support/scripted-validation-answers.js';

/**
 * The chart and atlas commands on real run directories: the repo's copy of real benchmark results
 * (examples/data), analysed by the scripted OpenAI-compatible judge, every command run as a child process.
 */

const DATA = EXAMPLE_DATA;
const ATLAS = 'atlas/errormap-starter.json';
const TAXONOMY_TASKS = ['taxonomy_generation', 'taxonomy_update', 'taxonomy_review'];

type ErrorRow = Record<string, string>;

let tmp: string;
let server: JudgeServer;
let atlasServer: JudgeServer;
const dir = (name: string) => join(tmp, name);

async function ok(args: string[]): Promise<CliResult> {
  const result = await runCli(args);
  expect(result.code, `errormap ${args.join(' ')}\n${result.stderr}`).toBe(0);
  return result;
}

function errorsOf(run: string): ErrorRow[] {
  return parse(readFileSync(join(run, 'errors.csv')), { columns: true }) as ErrorRow[];
}

function taxonomyOf(path: string): TaxonomyNode {
  return JSON.parse(readFileSync(path, 'utf8')) as TaxonomyNode;
}

/** The leaf category name of an errors.csv row. */
const leafName = (row: ErrorRow) =>
  Object.keys(row)
    .filter((k) => k.startsWith('category_') && row[k] !== '')
    .sort()
    .map((k) => row[k])
    .pop();

const countBy = <T>(items: readonly T[], key: (item: T) => string) => {
  const counts = new Map<string, number>();
  for (const i of items) counts.set(key(i), (counts.get(key(i)) ?? 0) + 1);
  return counts;
};

/** Whether each scored (dataset, example, model) prediction failed: its score against the dataset's threshold, straight from the run database. */
function outcomesOf(run: string): { dataset: string; example_id: string; model: string; failed: number }[] {
  const db = new Database(join(run, 'errormap.db'), { readonly: true });
  try {
    return db
      .prepare(
        `SELECT p.dataset, p.example_id, p.model, p.score < (SELECT threshold FROM population t WHERE t.dataset = p.dataset LIMIT 1) AS failed
         FROM predictions p WHERE p.scored = 1`,
      )
      .all() as {
      dataset: string;
      example_id: string;
      model: string;
      failed: number;
    }[];
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'errormap-charts-'));
  server = await startScriptedValidationJudge();
  atlasServer = await startScriptedValidationJudge();
  await Promise.all([
    ok(scriptedRunArgs(server, dir('A'), ['--seed', '1'])),
    ok(scriptedRunArgs(server, dir('B'), ['--seed', '2'])),
    ok(['run', `${DATA}/theoremqa.csv`, ...scriptedJudgeFlags(server), '--out', dir('one-model'), '--quiet', '--models', 'gpt-4']),
    ok(scriptedRunArgs(atlasServer, dir('atlas-run'), ['--seed', '1', '--taxonomy', ATLAS])),
  ]);
});

afterAll(async () => {
  await Promise.all([server?.close(), atlasServer?.close()]);
  rmSync(tmp, { recursive: true, force: true });
});

describe('errormap signatures', () => {
  it('writes signatures.csv and .json and prints one table per grouping, matching the analysed failures', async () => {
    const { stdout } = await ok(['signatures', dir('A')]);
    for (const g of ['model', 'dataset', 'model,dataset']) expect(stdout).toContain(`Failure signatures by ${g}, depth 1`);
    expect(existsSync(join(dir('A'), 'signatures.csv'))).toBe(true);
    const { rows } = JSON.parse(readFileSync(join(dir('A'), 'signatures.json'), 'utf8')) as { rows: SignatureRow[] };
    const csvRows = parse(readFileSync(join(dir('A'), 'signatures.csv')), { columns: true }) as unknown[];
    expect(csvRows).toHaveLength(rows.length);

    // Per dataset: counts are the analysed failures of errors.csv that have an error (no-error analyses are
    // left out and reported on their own line), shares sum to 1, intervals hold the share.
    const errors = errorsOf(dir('A')).filter((e) => e.has_error === '1');
    expect(stdout).toMatch(/No error found \(benchmark-noise candidates, left out of the shares and tests\): /);
    const byDataset = rows.filter((r) => r.groupBy === 'dataset' && r.depth === 1);
    for (const [dataset, n] of countBy(errors, (e) => e.dataset)) {
      const mine = byDataset.filter((r) => r.group === dataset);
      expect(mine.length, dataset).toBeGreaterThan(0);
      expect(mine.every((r) => r.n === n)).toBe(true);
      expect(mine.reduce((s, r) => s + r.share, 0)).toBeCloseTo(1, 9);
      const counted = countBy(
        errors.filter((e) => e.dataset === dataset),
        (e) => e.category_1,
      );
      for (const r of mine) {
        expect(r.count).toBe(counted.get(r.categoryPath[0]) ?? 0);
        expect(r.ciLow).toBeLessThanOrEqual(r.share);
        expect(r.ciHigh).toBeGreaterThanOrEqual(r.share);
      }
      // …and the printed table shows the same count/n for the dataset's largest category.
      const top = [...mine].sort((a, b) => b.count - a.count)[0];
      expect(stdout).toMatch(new RegExp(`\\n${dataset}\\s+${top.categoryPath[0]}\\s+${top.count}/${n}\\s`));
    }
  });
});

describe('errormap profiles', () => {
  it('profiles each dataset: its largest categories and the share of failures not about the skill', async () => {
    const [{ stdout }, json] = await Promise.all([ok(['profiles', dir('A')]), ok(['profiles', dir('A'), '--json'])]);
    const { profiles } = JSON.parse(json.stdout) as {
      profiles: {
        dataset: string;
        n: number;
        unanalysable: number;
        topCategories: { categoryPath: string[]; count: number }[];
        offSkill: { share: number; categories: string[] };
      }[];
    };
    const errors = errorsOf(dir('A'));
    expect(profiles.map((p) => p.dataset)).toEqual([...new Set(errors.map((e) => e.dataset))].sort());
    // the scripted judge finds no error in some failures, so the rule below is tested both ways
    expect(profiles.filter((p) => errors.some((e) => e.dataset === p.dataset && e.category_1 === 'No error found')).length).toBeGreaterThan(
      0,
    );
    for (const p of profiles) {
      const mine = errors.filter((e) => e.dataset === p.dataset);
      expect(p.n).toBe(mine.length);
      expect(p.topCategories[0].count).toBe(Math.max(...countBy(mine, (e) => e.category_1).values()));
      // The judge's "no error found" failures are not about the skill: where a dataset has them, they count.
      const noError = mine.filter((e) => e.category_1 === 'No error found').length;
      expect(p.offSkill.categories.includes('No error found'), p.dataset).toBe(noError > 0);
      expect(p.offSkill.share).toBeGreaterThanOrEqual(noError / mine.length - 0.1);
      // dataset, analysed, failed, its 95% CI, unanalysable, off-skill
      expect(stdout).toMatch(
        new RegExp(
          `\\n${p.dataset}\\s+${p.n}\\s+[\\d.]+%\\s+\\[[^\\]]+\\]\\s+${p.unanalysable}\\s+${(p.offSkill.share * 100).toFixed(1)}%`,
        ),
      );
      expect(stdout).toContain(`${p.dataset} (${p.n} analysed failures)`);
    }
  });
});

describe('errormap noise', () => {
  it('lists the examples most models fail and the failures the judge found correct, with evidence', async () => {
    const [{ stdout }, json, strictJson] = await Promise.all([
      ok(['noise', dir('A'), '--limit', '3']),
      ok(['noise', dir('A'), '--json']),
      ok(['noise', dir('A'), '--json', '--min-fail-share', '1']),
    ]);
    const noise = JSON.parse(json.stdout) as {
      hardExamples: { dataset: string; exampleId: string; failShare: number; failedModels: string[]; models: number }[];
      judgedCorrect: { failureId: string; reference?: string; output: string }[];
    };
    // Recount from every prediction: examples at least 3 models ran and at least 80% of them failed.
    const perExample = new Map<string, { models: number; failed: number }>();
    for (const o of outcomesOf(dir('A'))) {
      const key = `${o.dataset}/${o.example_id}`;
      const e = perExample.get(key) ?? { models: 0, failed: 0 };
      perExample.set(key, { models: e.models + 1, failed: e.failed + o.failed });
    }
    const expected = [...perExample].filter(([, e]) => e.models >= 3 && e.failed / e.models >= 0.8).map(([k]) => k);
    expect(expected.length).toBeGreaterThan(0);
    expect(noise.hardExamples.map((e) => `${e.dataset}/${e.exampleId}`).sort()).toEqual(expected.sort());

    const noErrorIds = errorsOf(dir('A'))
      .filter((e) => e.has_error !== '1' && e.has_error !== 'true')
      .map((e) => e.failure_id);
    expect(noErrorIds.length).toBeGreaterThan(0);
    expect(noise.judgedCorrect.map((f) => f.failureId).sort()).toEqual(noErrorIds.sort());

    expect(stdout).toContain(`: ${noise.hardExamples.length}\n`);
    expect(stdout).toContain(`Failures in which the judge found no error: ${noErrorIds.length}`);
    const first = noise.hardExamples[0];
    expect(stdout).toContain(`${first.dataset}/${first.exampleId}: failed by ${first.failedModels.length} of ${first.models} models`);
    expect(stdout).toMatch(/reference: .+\n/);
    expect(stdout).toContain(`… ${noise.hardExamples.length - 3} more`);

    const strict = JSON.parse(strictJson.stdout) as typeof noise;
    expect(strict.hardExamples.length).toBeLessThan(noise.hardExamples.length);
    expect(strict.hardExamples.every((e) => e.failShare === 1)).toBe(true);
  });
});

describe('errormap compare', () => {
  const [modelA, modelB] = ['alpaca-13b', 'gpt-4'];

  it('compares two models category by category, with exact tests, corrections and examples', async () => {
    const [{ stdout }, json] = await Promise.all([
      ok(['compare', dir('A'), '--models', modelA, modelB]),
      ok(['compare', dir('A'), '--models', modelA, modelB, '--json']),
    ]);
    const c = JSON.parse(json.stdout) as {
      test: string;
      datasets: string[];
      categories: { categoryPath: string[]; a: { count: number }; b: { count: number }; p: number; pHolm: number; pBH: number }[];
      aFailsBSucceeds: { examples: { dataset: string; exampleId: string }[] }[];
    };
    expect(stdout).toContain(`${modelA} (A) vs ${modelB} (B), depth 1, on theoremqa`);
    expect(c.test).toBe('unpaired (Fisher exact)'); // failures were sampled (--ratio 0.3)
    expect(stdout).toMatch(
      /category\s+alpaca-13b n\s+share\s+per 100\s+gpt-4 n\s+share\s+per 100\s+A−B per 100 \[95% CI\]\s+p\s+p Holm\s+p BH\s+sig\./,
    );

    // Counted over the datasets both models ran on (alpaca-13b also ran vicuna_bench, gpt-4 did not).
    expect(c.datasets).toEqual(['theoremqa']);
    const errors = errorsOf(dir('A')).filter((e) => c.datasets.includes(e.dataset));
    for (const cat of c.categories) {
      const name = cat.categoryPath[0];
      expect(cat.a.count).toBe(errors.filter((e) => e.model === modelA && e.category_1 === name).length);
      expect(cat.b.count).toBe(errors.filter((e) => e.model === modelB && e.category_1 === name).length);
      expect(cat.pHolm).toBeGreaterThanOrEqual(cat.p);
      expect(cat.pBH).toBeGreaterThanOrEqual(cat.p);
      expect(cat.pBH).toBeLessThanOrEqual(cat.pHolm + 1e-12);
      expect(stdout).toMatch(new RegExp(`\\n${name}\\s+${cat.a.count}\\s`));
    }

    // Every listed example: A failed it, B got it right.
    const failed = new Map(outcomesOf(dir('A')).map((o) => [`${o.dataset}/${o.example_id}/${o.model}`, o.failed === 1]));
    const listed = c.aFailsBSucceeds.flatMap((g) => g.examples);
    expect(listed.length).toBeGreaterThan(0);
    for (const e of listed) {
      expect(failed.get(`${e.dataset}/${e.exampleId}/${modelA}`)).toBe(true);
      expect(failed.get(`${e.dataset}/${e.exampleId}/${modelB}`)).toBe(false);
    }
    expect(stdout).toContain(`Examples ${modelA} fails and ${modelB} gets right, by ${modelA}'s category:`);
    expect(stdout).toContain(`theoremqa/${listed[0].exampleId}`);
  });

  it('runs the exact McNemar test on the shared examples when asked for a paired test', async () => {
    const { stdout, stderr } = await ok(['compare', dir('A'), '--models', modelA, modelB, '--test', 'paired']);
    expect(stdout).toMatch(/Test: paired \(exact McNemar\) on \d+ shared examples/);
    expect(stdout).toContain('only A/only B');
    expect(stderr).toMatch(/paired test on \d+ of \d+ shared examples/);
  });

  it('exits with 2 and a clear message when the run analysed only one of the models (signatures names the rest)', async () => {
    const [result, same, signatures] = await Promise.all([
      runCli(['compare', dir('one-model'), '--models', 'gpt-4', 'claude-2']),
      runCli(['compare', dir('A'), '--models', 'gpt-4', 'gpt-4']),
      ok(['signatures', dir('one-model'), '--by', 'model']),
    ]);
    // signatures says which models it leaves out, rather than leaving them silently missing.
    expect(signatures.stdout).toMatch(/\ngpt-4\s/);
    expect(signatures.stdout).toMatch(/Models without analysed failures: .*claude-2 \(\d+ failures, none analysed\)/);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/claude-2's failures were not analysed in this run .*one model only \(gpt-4\)/);
    expect(result.stdout).toBe('');
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/two different models/);
  });
});

describe('errormap diff', () => {
  /** Runs diff on two runs and checks every category against the runs' errors.csv; returns what it printed. */
  async function checkedDiff(first: string, second: string) {
    const [{ stdout, stderr }, json] = await Promise.all([ok(['diff', first, second]), ok(['diff', first, second, '--json'])]);
    const d = JSON.parse(json.stdout) as {
      categories: {
        categoryPath: string[];
        status: string;
        direction: string;
        first: { count: number };
        second: { count: number };
        pHolm: number;
        significant: boolean;
      }[];
    };
    // No-error analyses leave the diff by default and get their own line.
    const hasError = (e: ErrorRow) => e.has_error === '1';
    const [a, b] = [errorsOf(first).filter(hasError), errorsOf(second).filter(hasError)];
    const [countsA, countsB] = [countBy(a, (e) => e.category_1), countBy(b, (e) => e.category_1)];
    expect(stdout).toMatch(/No error found \(benchmark-noise candidates, left out of the shares and tests\): A \d+\/\d+/);
    expect(d.categories.map((c) => c.categoryPath[0]).sort()).toEqual([...new Set([...countsA.keys(), ...countsB.keys()])].sort());
    for (const c of d.categories) {
      const name = c.categoryPath[0];
      expect(c.first.count).toBe(countsA.get(name) ?? 0);
      expect(c.second.count).toBe(countsB.get(name) ?? 0);
      expect(c.direction === 'appeared', name).toBe(c.first.count === 0);
      expect(c.direction === 'vanished', name).toBe(c.second.count === 0);
      expect(c.significant).toBe(c.pHolm < 0.05);
      // Only a change the Holm-corrected test finds is named; the rest is "no significant change".
      expect(c.status, name).toBe(c.significant ? c.direction : 'no significant change');
      expect(stdout).toMatch(new RegExp(`\\n${name}\\s+${c.status}\\s+${c.first.count}\\s+[\\d.]+\\s+${c.second.count}\\s`));
    }
    expect(stdout).toContain(`A = ${first}\nB = ${second}`);
    return { statuses: new Set(d.categories.map((c) => c.status)), directions: new Set(d.categories.map((c) => c.direction)), stderr };
  }

  it('lists categories that grew or shrank between two runs of one taxonomy, with tests', async () => {
    // runs A and B (seeds 1 and 2) sample different failures into the same categories
    const { statuses, directions, stderr } = await checkedDiff(dir('A'), dir('B'));
    // Two seeds' samples of the same failures differ by chance, not significantly.
    expect(directions).toEqual(new Set(['grew', 'shrank']));
    expect(statuses).toEqual(new Set(['no significant change']));
    expect(stderr).not.toMatch(/taxonomies differ/);
  });

  it('lists categories that appeared or vanished when the taxonomies differ, and warns', async () => {
    // the atlas run files the same failures into the starter atlas's categories
    const { statuses, stderr } = await checkedDiff(dir('A'), dir('atlas-run'));
    expect(statuses).toContain('appeared');
    expect(statuses).toContain('vanished');
    expect(stderr).toMatch(/taxonomies differ/);
  });
});

describe('errormap validate', () => {
  it('checks the run with a second judge, against another run and a rebuild, and writes validation.json', async () => {
    const before = server.countByTask();
    const { stdout } = await ok([
      'validate',
      dir('A'),
      ...scriptedJudgeFlags(server, 'scripted-checker'),
      '--sample',
      '20',
      '--against',
      dir('B'),
      '--rebuild',
      '--embedder',
      'openai-compatible:letters',
    ]);
    const after = server.countByTask();
    const v = JSON.parse(readFileSync(join(dir('A'), 'validation.json'), 'utf8')) as {
      categoryChoice: {
        requested: number;
        acceptance: { hits: number; n: number };
        verdict: string;
        items: { failureId: string; accepted: boolean; reasoning: string }[];
      };
      analysisCheck: { requested: number; acceptance: { hits: number; n: number }; items: { failureId: string; accepted: boolean }[] };
      stability: { agreement: { n: number; observed: number } };
      semanticStability: {
        against: string;
        rebuild?: { sampled: number; of: number };
        matching: { precision: { n: number; hits: number }; recall: { n: number; hits: number }; asked: number; pairs: unknown[] };
        labelSimilarity?: { mean: number; n: number };
      }[];
      summary: { figure: string; value: number; ciLow: number; ciHigh: number; n: number }[];
      judgeUsage: Record<string, { calls: number; cachedCalls: number }>;
    };
    expect(v.categoryChoice.requested).toBeGreaterThan(0);
    expect(v.categoryChoice.requested).toBeLessThanOrEqual(20);
    expect(v.analysisCheck.requested).toBe(20);
    expect((after.category_choice ?? 0) - (before.category_choice ?? 0)).toBe(v.categoryChoice.requested);
    expect((after.analysis_check ?? 0) - (before.analysis_check ?? 0)).toBe(20);

    // The options are shown in a random order; "accepted" must mean the judge chose the assigned leaf.
    const rows = new Map(errorsOf(dir('A')).map((e) => [e.failure_id, e]));
    for (const item of v.categoryChoice.items) {
      const chosen = /Chose "(.*)"/.exec(item.reasoning)?.[1];
      expect(item.accepted).toBe(chosen === leafName(rows.get(item.failureId) as ErrorRow));
    }
    // The scripted checker rejects exactly the "no error found" analyses.
    for (const item of v.analysisCheck.items) expect(item.accepted).toBe(rows.get(item.failureId)?.has_error === '1');
    const choice = v.categoryChoice.acceptance;
    expect(stdout).toContain(
      `Forced choice (assigned vs random category at the same depth) by openai-compatible:scripted-checker: ${((100 * choice.hits) / choice.n).toFixed(1)}% (${choice.hits}/${choice.n}`,
    );
    expect(stdout).toMatch(new RegExp(`verdict: ${v.categoryChoice.verdict.toUpperCase()} at level 50\\.0%`));
    expect(stdout).toContain(`(${v.analysisCheck.acceptance.hits}/20,`);
    expect(v.stability.agreement.n).toBeGreaterThan(0);

    // Stability by meaning against run B and against a rebuild on 10% of A's errors, with label similarity
    // from the scripted letter-count embeddings (equal names: cosine 1).
    expect(v.semanticStability.map((s) => s.against)).toEqual([dir('B'), 'rebuild']);
    const rebuild = v.semanticStability[1];
    expect(rebuild.rebuild?.sampled).toBe(Math.ceil(0.1 * (rebuild.rebuild?.of ?? 0)));
    expect(rebuild.matching.precision.n).toBeGreaterThan(0);
    expect(rebuild.matching.recall.n).toBeGreaterThan(rebuild.matching.precision.n);
    // one call per candidate pair; a pair asked twice (B and the rebuild share categories) is answered from the cache
    const asked = v.semanticStability.reduce((n, s) => n + s.matching.asked, 0);
    const usage = v.judgeUsage.category_match;
    expect(usage.calls + usage.cachedCalls).toBe(asked);
    expect((after.category_match ?? 0) - (before.category_match ?? 0)).toBe(usage.calls);
    expect(rebuild.labelSimilarity).toMatchObject({ n: rebuild.matching.pairs.length, mean: 1 });
    expect(v.summary.map((r) => r.figure)).toContain('label similarity');
    expect(stdout).toMatch(/\ncategory recall \(semantic\)\s+[\d.]+%\s+\[/);
  });
});

describe('atlas mode', () => {
  const starter = taxonomyOf(ATLAS);

  it('run --taxonomy classifies into the atlas: no taxonomy building calls, the atlas ids at the top', () => {
    const calls = atlasServer.countByTask();
    for (const task of TAXONOMY_TASKS) expect(calls[task] ?? 0, task).toBe(0);
    expect(calls.error_classification).toBeGreaterThan(0);
    const tree = taxonomyOf(join(dir('atlas-run'), 'taxonomy.json'));
    const ids = tree.children.map((c) => c.id);
    for (const c of starter.children) expect(ids).toContain(c.id);
    const extra = tree.children.filter((c) => !starter.children.some((s) => s.id === c.id)).map((c) => c.name);
    expect(extra.every((name) => name === 'Other' || name === 'No error found')).toBe(true);
    // Failures were filed into atlas categories, not only into Other.
    expect(tree.children.filter((c) => starter.children.some((s) => s.id === c.id) && c.count > 0).length).toBeGreaterThan(1);
  });

  it('atlas merge joins two runs by name, keeping the first run’s ids', async () => {
    const out = join(tmp, 'merged.json');
    const { stdout } = await ok(['atlas', 'merge', dir('A'), dir('B'), '--out', out]);
    const merged = taxonomyOf(out);
    const [a, b] = [taxonomyOf(join(dir('A'), 'taxonomy.json')), taxonomyOf(join(dir('B'), 'taxonomy.json'))];
    const names = merged.children.map((c) => c.name).sort();
    // "No error found" holds a run's benchmark-noise candidates, not a kind of error: atlases leave it out.
    const categories = [...a.children, ...b.children].map((c) => c.name).filter((n) => n !== 'No error found');
    expect(names).toEqual([...new Set(categories)].sort());
    for (const c of a.children.filter((c) => c.name !== 'No error found'))
      expect(merged.children.find((m) => m.name === c.name)?.id).toBe(c.id);
    expect(stdout).toContain(`${out}: ${merged.children.length} top-level categories`);
  });

  it('atlas extend adds categories from Other and keeps every existing id', async () => {
    const out = join(tmp, 'extended.json');
    const before = atlasServer.countByTask().taxonomy_generation ?? 0;
    const { stdout } = await ok(['atlas', 'extend', dir('atlas-run'), ...scriptedJudgeFlags(atlasServer), '--out', out]);
    expect((atlasServer.countByTask().taxonomy_generation ?? 0) - before).toBeGreaterThan(0);
    const extended = taxonomyOf(out);
    for (const c of starter.children) expect(extended.children.find((e) => e.id === c.id)?.name).toBe(c.name);
    const added = extended.children.filter((e) => !taxonomyOf(join(dir('atlas-run'), 'taxonomy.json')).children.some((c) => c.id === e.id));
    expect(added.length).toBeGreaterThan(0);
    expect(stdout).toMatch(/Other held [\d.]+%; added \d+ categor(y|ies)/);
    for (const c of added) expect(stdout).toContain(`  ${c.name} — `);
  });
});
