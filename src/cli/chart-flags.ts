/** Flag values and options shared by the commands that read a finished run (signatures, compare, diff, …). */
import type { Command } from 'commander';
import type { TaxonomyNode } from '../contracts/taxonomy-node.js';
import { ConfigError } from '../errors.js';

export function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${flag} ${value}: expected a positive whole number`);
  return n;
}

export function probability(flag: string, value: string): number {
  const n = Number(value);
  if (!(n > 0 && n < 1)) throw new ConfigError(`${flag} ${value}: expected a number between 0 and 1`);
  return n;
}

/** Category levels below the root: 0 for a taxonomy without categories. */
function levelsOf(node: TaxonomyNode): number {
  return node.children.length === 0 ? 0 : 1 + Math.max(...node.children.map(levelsOf));
}

/**
 * `--depth` within the levels the runs' taxonomies have (the deeper one's, for two runs): a deeper
 * depth holds no category and would print empty tables, so it is a usage error naming the range.
 */
export function depthWithin(depth: number, runs: readonly { dir: string; taxonomy: TaxonomyNode }[]): number {
  const levels = Math.max(0, ...runs.map((r) => levelsOf(r.taxonomy)));
  if (depth <= levels) return depth;
  const whose = runs.length === 1 ? `the taxonomy of ${runs[0].dir}` : `the deeper taxonomy of ${runs.map((r) => r.dir).join(' and ')}`;
  if (levels === 0) throw new ConfigError(`--depth ${depth}: ${whose} has no categories`);
  const range = levels === 1 ? 'the only depth is 1' : `give a depth from 1 to ${levels}`;
  throw new ConfigError(`--depth ${depth}: ${whose} has ${levels} level${levels === 1 ? '' : 's'}; ${range}`);
}

/** Commander reducer of a repeatable option: each use appends its value. */
export const collectRepeated = (value: string, previous: string[]): string[] => [...previous, value];

export interface CategoryTestFlags {
  depth: string;
  alpha: string;
  includeNoError?: boolean;
}

/** `--depth`, `--alpha` and `--include-no-error` of the commands that test every category for a significant difference. */
export function addCategoryTestOptions(command: Command): Command {
  return addIncludeNoErrorOption(
    command.option('--depth <n>', 'taxonomy depth', '1').option('--alpha <a>', 'significance level for the Holm-adjusted p', '0.05'),
  );
}

export function parseCategoryTestFlags(flags: CategoryTestFlags): { depth: number; alpha: number; includeNoError: boolean } {
  return {
    depth: positiveInt('--depth', flags.depth),
    alpha: probability('--alpha', flags.alpha),
    includeNoError: flags.includeNoError === true,
  };
}

/** `--include-no-error`: keep analyses that found no error as a category of the shares and tests. */
export function addIncludeNoErrorOption(command: Command): Command {
  return command.option(
    '--include-no-error',
    'keep "No error found" (analyses that found no error: benchmark-noise candidates) in the shares and tests; by default it is left out and shown on its own line',
  );
}

/** The own line of analyses that found no error, e.g. "No error found: A 2/10 (20.0%, 95% CI 5.7–51.0%)". */
export function noErrorLineText(
  entries: readonly { label: string; rate: { hits: number; n: number; rate: number; ciLow: number; ciHigh: number } }[],
  included: boolean,
): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const parts = entries.map(({ label, rate: r }) =>
    r.n === 0 ? `${label} –` : `${label} ${r.hits}/${r.n} (${pct(r.rate)}, 95% CI ${pct(r.ciLow)}–${pct(r.ciHigh)})`,
  );
  const how = included ? 'kept in the shares (--include-no-error)' : 'benchmark-noise candidates, left out of the shares and tests';
  return `No error found (${how}): ${parts.join('; ')}
`;
}
