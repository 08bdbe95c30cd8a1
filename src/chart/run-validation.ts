import type { TaskUsage } from '../contracts/usage.js';
import type { Judge } from '../judge/judge.js';
import { loadPromptSet } from '../prompts/prompt-set.js';
import type { ExampleOutcome } from '../store/example-outcomes.js';
import type { RunData } from '../store/run-data.js';
import { type JudgeCheckResult, runAnalysisCheck, runCategoryChoice } from './judge-checks.js';
import { type LabelSimilarity, labelSimilarity } from './label-similarity.js';
import { findNoiseCandidates, type NoiseCandidates } from './noise.js';
import { rateOf } from './rate.js';
import { rebuildTaxonomy } from './rebuild.js';
import { matchCategoriesSemantically, type SemanticMatching } from './semantic-match.js';
import {
  type Coverage,
  computeCoverage,
  computeStability,
  planAnalysisChecks,
  planCategoryChoices,
  type Stability,
  type Verdict,
  verdictOf,
} from './validate.js';

export interface ValidationSettings {
  seed: number;
  /** Failures checked per judge task (the paper's forced choice used about 100). */
  sample: number;
  /** Level the forced-choice acceptance must clear with its whole interval to pass (chance is 0.5). */
  level: number;
  /** Build a second taxonomy from this share of the run's errors and measure stability against it. */
  rebuildRatio?: number;
  promptsDir?: string;
  /** Taxonomy depth for the assignment agreement with --against. */
  depth: number;
}

export interface ValidationContext {
  /** The second judge: forced choice, analysis check, rebuild and category matching. */
  judge?: Judge & { meter?: { snapshot(): Record<string, TaskUsage> } };
  embedder?: { id: string; embed(texts: string[]): Promise<number[][]> };
  /** Another run of the same data (--against) and its directory. */
  against?: { dir: string; run: RunData };
  outcomes: readonly ExampleOutcome[];
}

export interface SemanticStability {
  /** The other taxonomy: another run's directory, or "rebuild". */
  against: string;
  rebuild?: { ratio: number; sampled: number; of: number; promptsDir?: string; warnings: string[] };
  matching: SemanticMatching;
  labelSimilarity?: LabelSimilarity;
}

/** The content of the run's validation file: every figure with its interval, and the summary table's rows. */
export interface ValidationReport {
  run: string;
  runJudge: string;
  seed: number;
  sample: number;
  coverage: Coverage;
  categoryChoice?: JudgeCheckResult & { level: number; verdict: Verdict };
  analysisCheck?: JudgeCheckResult;
  /** Category matching by id and name against --against (no judge needed). */
  stability?: Stability & { against: string };
  /** Category matching by meaning (the paper's stability), against --against and/or a rebuild. */
  semanticStability: SemanticStability[];
  judgeUsage?: Record<string, TaskUsage>;
  noise: NoiseCandidates;
  summary: SummaryRow[];
}

export interface SummaryRow {
  figure: string;
  /** A proportion or mean cosine shown as a percentage, or a coefficient (kappa) shown as a number. */
  scale: 'percent' | 'plain';
  value: number;
  ciLow?: number;
  ciHigh?: number;
  n: number;
  note: string;
}

/**
 * `errormap validate`: coverage; with a judge, the forced choice (with a verdict against `level`), the
 * analysis check, and semantic stability against --against and a --rebuild, with label similarity when
 * an embedder is given; without one, stability against --against by id and name.
 */
export async function validateRun(run: RunData, settings: ValidationSettings, ctx: ValidationContext): Promise<ValidationReport> {
  const report: Omit<ValidationReport, 'summary'> = {
    run: run.dir,
    runJudge: run.record.judge,
    seed: settings.seed,
    sample: settings.sample,
    coverage: computeCoverage(run),
    semanticStability: [],
    noise: findNoiseCandidates(run, ctx.outcomes),
  };
  const { judge } = ctx;
  if (ctx.against) report.stability = { ...computeStability(run, ctx.against.run, settings.depth), against: ctx.against.dir };
  if (judge) {
    const prompts = loadPromptSet(settings.promptsDir, ['category_choice', 'analysis_check', 'category_match']);
    const choice = await runCategoryChoice(judge, prompts, planCategoryChoices(run, settings.sample, settings.seed));
    report.categoryChoice = { ...choice, level: settings.level, verdict: verdictOf(choice.acceptance, settings.level) };
    report.analysisCheck = await runAnalysisCheck(judge, prompts, planAnalysisChecks(run, settings.sample, settings.seed));
    const others: { against: string; root: RunData['taxonomy']; rebuild?: SemanticStability['rebuild'] }[] = [];
    if (ctx.against) others.push({ against: ctx.against.dir, root: ctx.against.run.taxonomy });
    if (settings.rebuildRatio !== undefined) {
      const shape = run.record.settings as { maxDepth?: unknown; maxCategories?: unknown };
      const rebuilt = await rebuildTaxonomy(
        run,
        {
          ratio: settings.rebuildRatio,
          seed: settings.seed,
          maxDepth: typeof shape.maxDepth === 'number' ? shape.maxDepth : undefined,
          maxCategories: typeof shape.maxCategories === 'number' ? shape.maxCategories : undefined,
          promptsDir: settings.promptsDir,
        },
        judge,
      );
      others.push({
        against: 'rebuild',
        root: rebuilt.root,
        rebuild: {
          ratio: settings.rebuildRatio,
          sampled: rebuilt.sampled,
          of: rebuilt.of,
          promptsDir: settings.promptsDir,
          warnings: rebuilt.warnings,
        },
      });
    }
    for (const other of others) {
      const matching = await matchCategoriesSemantically(run.taxonomy, other.root, judge, prompts);
      const similarity = ctx.embedder ? await labelSimilarity(matching.pairs, ctx.embedder, settings.seed) : undefined;
      report.semanticStability.push({ against: other.against, rebuild: other.rebuild, matching, labelSimilarity: similarity });
    }
    report.judgeUsage = judge.meter?.snapshot();
  }
  return { ...report, summary: summaryRows(report) };
}

/** One row per figure: what the summary table prints and the validation file keeps. */
export function summaryRows(v: Omit<ValidationReport, 'summary'>): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const rate = (figure: string, r: { rate: number; ciLow: number; ciHigh: number; n: number }, note: string) =>
    rows.push({ figure, scale: 'percent', value: r.rate, ciLow: r.ciLow, ciHigh: r.ciHigh, n: r.n, note });
  rate('coverage', v.coverage, 'analysed failures outside Other, Hard to Analyze, No error found and unplaced');
  if (v.categoryChoice) {
    const c = v.categoryChoice;
    rate('forced choice', c.acceptance, `${c.verdict} against ${(c.level * 100).toFixed(0)}% (chance 50%)`);
  }
  if (v.analysisCheck) rate('analysis acceptance', v.analysisCheck.acceptance, 'analyses the judge found accurate');
  if (v.stability) {
    const s = v.stability;
    rate('category precision (id/name)', s.categoryPrecision, `against ${s.against}`);
    rate('category recall (id/name)', s.categoryRecall, `against ${s.against}`);
    const agreed = Math.round(s.agreement.observed * s.agreement.n);
    if (s.agreement.n > 0) {
      rate('assignment agreement', rateOf(agreed, s.agreement.n), `same category at depth ${s.depth} in both runs`);
      rows.push({
        figure: "Cohen's kappa",
        scale: 'plain',
        value: s.agreement.kappa,
        ciLow: s.agreement.kappaLow,
        ciHigh: s.agreement.kappaHigh,
        n: s.agreement.n,
        note: 'assignment agreement beyond chance (large-sample interval)',
      });
    }
  }
  for (const s of v.semanticStability) {
    const where = s.rebuild ? `rebuild on ${s.rebuild.sampled} of ${s.rebuild.of} errors` : `against ${s.against}`;
    rate('category precision (semantic)', s.matching.precision, where);
    rate('category recall (semantic)', s.matching.recall, where);
    if (s.labelSimilarity) {
      const l = s.labelSimilarity;
      rows.push({
        figure: 'label similarity',
        scale: 'percent',
        value: l.mean,
        ciLow: l.ciLow,
        ciHigh: l.ciHigh,
        n: l.n,
        note: `mean cosine of matched names by ${l.embedder}; ${where}`,
      });
    }
  }
  return rows;
}
