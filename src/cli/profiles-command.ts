import type { Command } from 'commander';
import { populationWarnings } from '../chart/analysed-strata.js';
import { computeProfiles, type DatasetProfile, DEFAULT_OFF_SKILL_PATTERNS, type ProfileCategory } from '../chart/profiles.js';
import { placedFailures } from '../chart/weighted-shares.js';
import { ConfigError } from '../errors.js';
import { loadRunData } from '../store/run-data.js';
import { collectRepeated, depthWithin, positiveInt } from './chart-flags.js';
import { printJsonOrText, printWarnings } from './print-result.js';
import { type Column, formatTable, interval, percent, useColor } from './table.js';

interface ProfilesFlags {
  depth: string;
  top: string;
  offSkill: string[];
  json?: boolean;
}

function offSkillPatterns(sources: readonly string[]): readonly RegExp[] {
  if (sources.length === 0) return DEFAULT_OFF_SKILL_PATTERNS;
  return sources.map((s) => {
    try {
      return new RegExp(s, 'i');
    } catch (e) {
      throw new ConfigError(`--off-skill ${s}: not a valid regular expression (${(e as Error).message})`);
    }
  });
}

const topCategory = (p: DatasetProfile) => {
  const c = p.topCategories[0];
  return c ? `${c.categoryPath.join(' > ')} (${percent(c.share)})` : '–';
};

const SUMMARY: Column<DatasetProfile>[] = [
  { header: 'dataset', value: (p) => p.dataset, maxWidth: 30 },
  { header: 'analysed', value: (p) => p.n },
  { header: 'failed', value: (p) => percent(p.failureRate) },
  { header: '95% CI', value: (p) => interval(p.failureRateLow, p.failureRateHigh, percent), align: 'right' },
  { header: 'unanalysable', value: (p) => p.unanalysable },
  { header: 'off-skill', value: (p) => percent(p.offSkill.share) },
  { header: '95% CI', value: (p) => interval(p.offSkill.ciLow, p.offSkill.ciHigh, percent), align: 'right' },
  { header: 'largest category', value: topCategory, maxWidth: 50 },
];

const CATEGORIES: Column<ProfileCategory>[] = [
  { header: 'category', value: (c) => c.categoryPath.join(' > '), maxWidth: 60 },
  { header: 'count', value: (c) => c.count },
  { header: 'share', value: (c) => percent(c.share) },
  { header: '95% CI', value: (c) => interval(c.ciLow, c.ciHigh, percent), align: 'right' },
];

/** The text printed by `errormap profiles`: a summary line per dataset, then each dataset's top categories. */
export function profilesText(profiles: readonly DatasetProfile[], depth: number, color = false): string {
  if (profiles.length === 0) return 'No analysed failures are filed in this run’s taxonomy: there is nothing to profile.\n';
  const lines = [
    `Benchmark profiles, depth ${depth}: what each dataset's failures are made of`,
    'failed = share of predictions below the threshold, over the models analysed; failures that could not be analysed',
    '(unanalysable: provider errors, failed requests, log-likelihood tasks) are left out of it.',
    'off-skill = share of analysed failures filed under a category not about the skill the benchmark measures',
    '(format, no usable answer, no error found, Other, …).',
    'Shares are of analysed failures, weighted for sampling, with 95% Wilson intervals.',
    '',
    formatTable(profiles, SUMMARY, { color }).trimEnd(),
  ];
  for (const p of profiles) {
    lines.push('', `${p.dataset} (${p.n} analysed failures)`);
    lines.push(formatTable(p.topCategories, CATEGORIES, { color }).trimEnd());
    lines.push(
      p.offSkill.categories.length > 0
        ? `off-skill ${percent(p.offSkill.share)} from: ${p.offSkill.categories.join(', ')}`
        : 'off-skill: no failure filed under an off-skill category',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** `errormap profiles RUN [--depth 1] [--top 5] [--off-skill REGEX]… [--json]` */
export function registerProfilesCommand(program: Command): void {
  program
    .command('profiles')
    .description(
      "Benchmark profiles: per dataset, its largest error categories and the share of failures that are not about the benchmark's skill",
    )
    .argument('<run>', 'run directory written by `errormap run`')
    .option('--depth <n>', 'taxonomy depth of the categories listed', '1')
    .option('--top <n>', 'categories listed per dataset', '5')
    .option(
      '--off-skill <regex>',
      'category names counted as not about the skill (repeatable, case-insensitive; replaces the default list)',
      collectRepeated,
      [],
    )
    .option('--json', 'print the profiles as JSON')
    .action((dir: string, flags: ProfilesFlags) => {
      const top = positiveInt('--top', flags.top);
      const patterns = offSkillPatterns(flags.offSkill);
      const run = loadRunData(dir);
      const depth = depthWithin(positiveInt('--depth', flags.depth), [{ dir, taxonomy: run.taxonomy }]);
      const profiles = computeProfiles(run, { depth, top, offSkillPatterns: patterns });
      printWarnings(populationWarnings(run.population, placedFailures(run.failures)));
      printJsonOrText(
        flags.json,
        () => ({ depth, offSkillPatterns: patterns.map((p) => p.source), profiles }),
        () => profilesText(profiles, depth, useColor()),
      );
    });
}
