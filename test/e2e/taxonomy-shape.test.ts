/**
 * The taxonomy a default run builds on the bundled MMLU-Pro sample has the reference implementation's
 * shape: up to three category levels, at most min(25, ceil(0.1 × failures)) categories per node, Other
 * split like any category, and the review's rating on every divided node. The scripted judge gives each
 * failure its own title (its plumbing only: the shape follows from the titles, not from judgement).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/contracts/run-record.js';
import type { TaxonomyNode } from '../../src/contracts/taxonomy-node.js';
import { EXAMPLE_DATA, runCli, scriptedJudgeFlags } from '../support/cli-process.js';
import type { JudgeServer } from '../support/judge-server.js';
import { scriptedAnalysisAnswer } from '../support/scripted-analysis-answers.js';
import { startScriptedErrormapJudge } from '../support/scripted-errormap-judge.js';
import { expectConsistentTree } from '../support/tree-invariants.js';

const KINDS = [
  'Arithmetic slip',
  'Counting mistake',
  'Invented fact',
  'Ignored format constraint',
  'Faulty logical inference',
  'Omitted step',
];

/** A distinct title per failure: a kind (top level), "wordN" at its end (level 2) and a number (level 3). */
function variedTitle(user: string): string {
  const d = createHash('sha256').update(user).digest();
  return `${KINDS[d[0] % KINDS.length]} in part ${d[1] % 30} word${d[2] % 4}`;
}

const allNodes = (n: TaxonomyNode): TaxonomyNode[] => [n, ...n.children.flatMap(allNodes)];
const budget = (failures: number) => Math.min(25, Math.ceil(0.1 * failures));
const isBin = (n: TaxonomyNode) => n.name === 'Other' || n.name === 'No error found';

let tmp: string;
let server: JudgeServer;
let taxonomy: TaxonomyNode;
let record: RunRecord;
let analysedIds: string[];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'errormap-shape-'));
  server = await startScriptedErrormapJudge({
    override(req) {
      if (req.task !== 'error_analysis') return undefined;
      const answer = scriptedAnalysisAnswer(req.user) as { has_error: boolean; error_title: string };
      return { json: answer.has_error ? { ...answer, error_title: variedTitle(req.user) } : answer };
    },
  });
  const out = join(tmp, 'mmlu');
  // Taxonomy settings at their defaults; every failure analysed so the tree has titles to divide.
  const run = await runCli(['run', `${EXAMPLE_DATA}/mmlu_pro.csv`, ...scriptedJudgeFlags(server), '--out', out, '--ratio', '1', '--quiet']);
  expect(run.code).toBe(0);
  taxonomy = JSON.parse(readFileSync(join(out, 'taxonomy.json'), 'utf8')) as TaxonomyNode;
  record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as RunRecord;
  analysedIds = (parse(readFileSync(join(out, 'errors.csv')), { columns: true }) as { failure_id: string }[]).map((r) => r.failure_id);
}, 120_000);

afterAll(async () => {
  await server?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('a default run on MMLU-Pro', () => {
  it('builds three category levels below the root, and files every failure once', () => {
    expect(Math.max(...allNodes(taxonomy).map((n) => n.depth))).toBe(3);
    expect(record.settings.maxDepth).toBe(3);
    expectConsistentTree(taxonomy, analysedIds);
  });

  it('keeps every node within min(25, ceil(0.1 × its failures)) generated categories', () => {
    for (const node of allNodes(taxonomy).filter((n) => n.children.length > 0)) {
      const generated = node.children.filter((c) => !isBin(c));
      const failures = node.count - node.children.filter((c) => c.name === 'No error found').reduce((s, c) => s + c.count, 0);
      expect(generated.length, node.name).toBeLessThanOrEqual(budget(failures));
    }
  });

  it('rates each divided node in the review, in taxonomy.json and run.json', () => {
    const divided = allNodes(taxonomy).filter((n) => n.ratings);
    expect(divided.length).toBeGreaterThan(1);
    for (const n of divided) expect(n.ratings?.at(-1)).toMatchObject({ task: 'taxonomy_review', rating: 85 });
    expect(record.taxonomyRatings?.map((r) => r.nodeId)).toEqual(divided.map((n) => n.id));
  });
});
