import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { auditFormatOf, auditRows, formatAuditFile, readAuditFile } from '../audit/audit-file.js';
import { auditSample, DEFAULT_AUDIT_SAMPLE } from '../audit/audit-sample.js';
import { auditSeedOf } from '../audit/audit-seed.js';
import { computeAuditStats } from '../audit/audit-stats.js';
import { leafPaths } from '../audit/category-paths.js';
import { ReviewerName } from '../audit/review.js';
import { ConfigError, InputError } from '../errors.js';
import { rewriteErrorsCsv } from '../report/run-files.js';
import { loadReviews, saveReviews } from '../store/review-queries.js';
import { loadRunData } from '../store/run-data.js';
import { RUN_FILES } from '../store/run-dir.js';
import { auditStatsText } from './audit-stats-text.js';
import { positiveInt } from './chart-flags.js';
import { printJsonOrText } from './print-result.js';

/** Where `audit export` lists the category paths a reviewer may write: beside the audit file. */
export function categoriesFileFor(out: string): string {
  return `${out.replace(/\.(csv|jsonl?)$/i, '')}.categories.txt`;
}

function seedFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new ConfigError(`--seed ${value}: expected a whole number`);
  return n;
}

function reviewerFlag(value: string): string {
  const parsed = ReviewerName.safeParse(value);
  if (!parsed.success) throw new ConfigError(`--reviewer: ${parsed.error.issues[0]?.message ?? 'invalid name'}`);
  return parsed.data;
}

/** `errormap audit export|import|stats`: human review of the judge's analyses and categories, in a spreadsheet or a script. */
export function registerAuditCommand(program: Command): void {
  const audit = program
    .command('audit')
    .description('Human audit of the judge: export a sample to review, import the reviews, agreement statistics');

  audit
    .command('export')
    .description(
      'Write the audit sample (stratified by category, seeded) as CSV or JSONL to fill in, and the allowed category paths beside it',
    )
    .argument('<run>', 'run directory written by `errormap run`')
    .requiredOption('--out <file>', 'audit file to write (.csv or .jsonl)')
    .option('--sample <n>', 'failures in the sample', String(DEFAULT_AUDIT_SAMPLE))
    .option('--seed <n>', "sample seed (default: the run's seed, as `view --audit` uses)")
    .action((dir: string, flags: { out: string; sample: string; seed?: string }) => {
      const size = positiveInt('--sample', flags.sample);
      const run = loadRunData(dir);
      const seed = auditSeedOf(run.record.settings, seedFlag(flags.seed));
      const sample = auditSample(run.failures, size, seed);
      writeFileSync(flags.out, formatAuditFile(auditRows(sample, run.taxonomy), auditFormatOf(flags.out)));
      const categories = categoriesFileFor(flags.out);
      writeFileSync(
        categories,
        `${leafPaths(run.taxonomy)
          .map((l) => l.label)
          .join('\n')}\n`,
      );
      process.stdout.write(
        `Wrote ${sample.length} failures to ${flags.out} (seed ${seed}).\n` +
          `Fill in human_category with a path from ${categories} and analysis_verdict with accept, partly or reject,\n` +
          `then: errormap audit import ${dir} ${flags.out} --reviewer NAME\n`,
      );
    });

  audit
    .command('import')
    .description('Record the reviews of a filled-in audit file (every value is checked first; nothing is recorded if one is wrong)')
    .argument('<run>', 'run directory written by `errormap run`')
    .argument('<file>', 'audit file written by `audit export` and filled in')
    .requiredOption('--reviewer <name>', 'who reviewed')
    .action(async (dir: string, file: string, flags: { reviewer: string }) => {
      const reviewer = reviewerFlag(flags.reviewer);
      if (!existsSync(file)) throw new InputError({ file, problem: 'file not found', code: 'INPUT_UNREADABLE' });
      const run = loadRunData(dir);
      const imported = readAuditFile(file, readFileSync(file, 'utf8'), run, { reviewer, now: new Date().toISOString() });
      saveReviews(dir, imported.reviews);
      await rewriteErrorsCsv(run, loadReviews(dir));
      process.stdout.write(
        `Recorded ${imported.reviews.length} reviews by ${reviewer}` +
          (imported.blank > 0 ? ` (${imported.blank} rows left blank were skipped)` : '') +
          `; ${RUN_FILES.errors} has the human columns.\nNext: errormap audit stats ${dir}\n`,
      );
    });

  audit
    .command('stats')
    .description(
      "Judge–human agreement (accuracy, Cohen's kappa), analysis acceptance, reviewer agreement and corrected shares, with 95% intervals",
    )
    .argument('<run>', 'run directory written by `errormap run`')
    .option('--json', 'print the figures as JSON')
    .option('--seed <n>', 'bootstrap seed (default: the run’s seed)')
    .action((dir: string, flags: { json?: boolean; seed?: string }) => {
      const run = loadRunData(dir);
      const stats = computeAuditStats(run.taxonomy, loadReviews(dir), { seed: auditSeedOf(run.record.settings, seedFlag(flags.seed)) });
      printJsonOrText(
        flags.json,
        () => stats,
        () => auditStatsText(stats),
      );
    });
}
