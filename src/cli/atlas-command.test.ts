import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type JudgeServer, startJudgeServer } from '../../test/support/judge-server.js';
import { makeRunDir } from '../../test/support/make-run-dir.js';
import { runCommandInProcess } from '../../test/support/run-command-in-process.js';
import { scriptedTaxonomyAnswer } from '../../test/support/scripted-taxonomy-answers.js';
import type { TaxonomyNode } from '../contracts/taxonomy-node.js';
import { loadRunData } from '../store/run-data.js';
import { runFile } from '../store/run-dir.js';
import { RunStore } from '../store/run-store.js';
import { classifyIntoAtlas, readTaxonomyFile } from '../taxonomy/index.js';
import { createScriptedJudge } from '../testing/scripted-judge.js';
import { registerAtlasCommand } from './atlas-command.js';

const STARTER = join(import.meta.dirname, '..', '..', 'atlas', 'errormap-starter.json');
const allNodes = (n: TaxonomyNode): TaxonomyNode[] => [n, ...n.children.flatMap(allNodes)];

async function cli(args: string[]): Promise<string> {
  return (await runCommandInProcess([registerAtlasCommand], args)).stdout;
}

let server: JudgeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('errormap atlas', () => {
  it('merge writes one atlas from run directories and taxonomy files, keeping the first ids', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'errormap-atlas-'));
    const run = makeRunDir(join(dir, 'run'), { failures: 60 });
    const out = join(dir, 'merged.json');
    const printed = await cli(['atlas', 'merge', run.dir, STARTER, '--out', out]);
    const merged = readTaxonomyFile(out);
    for (const n of allNodes(run.taxonomy)) expect(allNodes(merged).find((m) => m.id === n.id)?.name).toBe(n.name);
    for (const c of readTaxonomyFile(STARTER).children) expect(merged.children.some((m) => m.name === c.name)).toBe(true);
    expect(printed).toMatch(/merged\.json: \d+ top-level categories/);
  });

  it('extend proposes categories from a run whose Other is large, through a real judge client', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'errormap-atlas-'));
    const run = makeRunDir(join(dir, 'run'), { failures: 80 });
    // Re-file the run into the starter atlas: its synthetic titles mostly fit nothing, so Other is large.
    const data = loadRunData(run.dir);
    const titled = data.failures
      .filter((f) => f.analysis?.hasError)
      .map((f) => ({ failureId: f.id, errorTitle: f.analysis!.errorTitle, errorSummary: '' }));
    const classified = await classifyIntoAtlas(
      { failures: titled },
      readTaxonomyFile(STARTER),
      {},
      { judge: createScriptedJudge(scriptedTaxonomyAnswer) },
    );
    const store = RunStore.open(run.dir);
    store.saveTaxonomy(classified.root, classified.assignments);
    store.close();
    writeFileSync(runFile(run.dir, 'taxonomy'), JSON.stringify(classified.root));

    server = await startJudgeServer({ respond: (r) => ({ json: scriptedTaxonomyAnswer(r) }) });
    const out = join(dir, 'extended.json');
    const baseUrl = server.baseUrl;
    const extend = (...flags: string[]) =>
      cli(['atlas', 'extend', run.dir, '--judge', 'openai-compatible:scripted', '--base-url', baseUrl, ...flags, '--out', out]);
    const printed = await extend();
    expect(server.countByTask()).toEqual({ taxonomy_generation: 1, taxonomy_review: 1 });
    const extended = JSON.parse(readFileSync(out, 'utf8')) as TaxonomyNode;
    for (const n of allNodes(classified.root)) expect(allNodes(extended).find((m) => m.id === n.id)?.name).toBe(n.name);
    expect(extended.children.length).toBeGreaterThan(classified.root.children.length);
    expect(printed).toMatch(/Other held \d+\.\d%; added \d+ categories/);

    const unchanged = await extend('--threshold', '0.99');
    expect(unchanged).toMatch(/atlas unchanged \(Other holds/);
  });
});
