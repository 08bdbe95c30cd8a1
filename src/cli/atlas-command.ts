import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { OTHER_NAME, type TaxonomyNode } from '../contracts/taxonomy-node.js';
import { ConfigError } from '../errors.js';
import { createJudge } from '../judge/index.js';
import { loadPromptSet } from '../prompts/prompt-set.js';
import { loadRunData } from '../store/run-data.js';
import { runFile, writeFileAtomic } from '../store/run-dir.js';
import { TAXONOMY_TASKS } from '../taxonomy/context.js';
import { DEFAULT_EXTEND_THRESHOLD, extendAtlas, mergeAtlases, readTaxonomyFile } from '../taxonomy/index.js';
import { normaliseName } from '../taxonomy/node-id.js';
import { addJudgeOptions, type JudgeFlags, resolveJudge } from './judge-options.js';
import { runSettingOption } from './setting-options.js';

interface MergeFlags {
  out: string;
}

interface ExtendFlags extends JudgeFlags {
  out: string;
  threshold: string;
  prompts?: string;
  /** A whole number, checked as commander reads it. */
  seed: number;
}

/** A run directory (its taxonomy) or a taxonomy file in either supported format. */
function readTaxonomyOf(path: string): TaxonomyNode {
  if (!existsSync(path)) throw new ConfigError(`${path} does not exist`);
  return readTaxonomyFile(statSync(path).isDirectory() ? runFile(path, 'taxonomy') : path);
}

function writeAtlas(out: string, atlas: TaxonomyNode): void {
  writeFileAtomic(out, `${JSON.stringify(atlas, null, 2)}\n`);
}

const countNodes = (n: TaxonomyNode): number => 1 + n.children.reduce((s, c) => s + countNodes(c), 0);
const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

/** `errormap atlas merge RUN... --out FILE` and `errormap atlas extend RUN --judge SPEC --out FILE`. */
export function registerAtlasCommand(program: Command): void {
  const atlas = program.command('atlas').description('Fixed taxonomies (atlases) to classify several runs into the same categories');

  atlas
    .command('merge')
    .description("Merge several runs' taxonomies into one atlas (categories matched by name; the first run's ids win)")
    .argument('<runs...>', 'run directories or taxonomy files (errormap or reference ErrorMap JSON)')
    .requiredOption('-o, --out <file>', 'atlas file to write')
    .action((runs: string[], flags: MergeFlags) => {
      const merged = mergeAtlases(runs.map(readTaxonomyOf));
      writeAtlas(flags.out, merged);
      process.stdout.write(
        `${flags.out}: ${merged.children.length} top-level categories, ${countNodes(merged) - 1} in all, from ${runs.length} taxonomies\n`,
      );
    });

  const extend = atlas
    .command('extend')
    .description("Propose new top-level categories from a run's Other titles when Other is too large")
    .argument('<run>', 'run directory classified with the atlas (errormap run --taxonomy ATLAS)')
    .requiredOption('-o, --out <file>', 'extended atlas file to write')
    .option('--threshold <share>', "extend only when Other's share of the failures exceeds this", String(DEFAULT_EXTEND_THRESHOLD))
    .addOption(runSettingOption('promptsDir'))
    .addOption(runSettingOption('seed', 'seed for the order titles are shown in'));
  addJudgeOptions(extend, 'judge that proposes the categories (default: $ERRORMAP_JUDGE)');
  extend.action(async (run: string, flags: ExtendFlags) => {
    const threshold = Number(flags.threshold);
    if (!(threshold >= 0 && threshold < 1)) throw new ConfigError(`--threshold: "${flags.threshold}" is not a share between 0 and 1`);
    const seed = flags.seed;
    const { spec, baseUrl, apiKey } = resolveJudge(flags, process.env);
    if (!spec) throw new ConfigError('atlas extend: give --judge provider:model (or set ERRORMAP_JUDGE)');

    const data = loadRunData(run);
    const other = data.taxonomy.children.find((c) => normaliseName(c.name) === normaliseName(OTHER_NAME));
    const otherTitles = data.failures.flatMap((f) =>
      other && f.path[0] === other.id && f.analysis?.hasError
        ? [{ failureId: f.id, errorTitle: f.analysis.errorTitle, errorSummary: f.analysis.errorSummary }]
        : [],
    );
    const judge = createJudge({ spec, baseUrl, apiKey });
    const result = await extendAtlas(
      data.taxonomy,
      otherTitles,
      { threshold, seed },
      {
        judge,
        prompts: loadPromptSet(flags.prompts, TAXONOMY_TASKS),
      },
    );

    writeAtlas(flags.out, result.atlas);
    for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
    if (result.added.length === 0) {
      const why =
        result.otherShare <= threshold
          ? `Other holds ${percent(result.otherShare)}, not above ${percent(threshold)}`
          : 'the judge proposed no new category';
      process.stdout.write(`${flags.out}: atlas unchanged (${why})\n`);
      return;
    }
    process.stdout.write(
      `${flags.out}: Other held ${percent(result.otherShare)}; added ${result.added.length} ${result.added.length === 1 ? 'category' : 'categories'} (existing ids kept):\n`,
    );
    for (const c of result.added) process.stdout.write(`  ${c.name} — ${c.description}\n`);
  });
}
