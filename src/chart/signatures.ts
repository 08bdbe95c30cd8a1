import { ConfigError } from '../errors.js';
import type { PopulationStats } from '../prepare/failure.js';
import type { FailureView, RunData } from '../store/run-data.js';
import { analysedStrata } from './analysed-strata.js';
import { type ModelSide, sideFromEstimate } from './model-side.js';
import { chartRun } from './no-error.js';
import { categoriesAtDepth, indexTaxonomy } from './taxonomy-index.js';
import { estimateShares, failureRate, placedFailures, samplingWeights } from './weighted-shares.js';

/** How failures are grouped for a signature. */
export type Grouping = { by: 'model' } | { by: 'dataset' } | { by: 'model,dataset' } | { by: 'meta'; column: string };

/** Parses `model`, `dataset`, `model,dataset` (or `dataset,model`) and `meta:COLUMN`. */
export function parseGrouping(spec: string): Grouping {
  const s = spec.trim();
  if (s === 'model' || s === 'dataset') return { by: s };
  if (s === 'model,dataset' || s === 'dataset,model') return { by: 'model,dataset' };
  if (s.startsWith('meta:') && s.length > 5) return { by: 'meta', column: s.slice(5) };
  throw new ConfigError(`--by ${spec}: expected model, dataset, model,dataset or meta:COLUMN`);
}

export function groupingLabel(g: Grouping): string {
  return g.by === 'meta' ? `meta:${g.column}` : g.by;
}

/**
 * One category's place in one group's failures at one depth: the group's side figures (count and n
 * unweighted; incidence undefined when the group's predictions are unknown).
 */
export interface SignatureRow extends ModelSide {
  groupBy: string;
  group: string;
  categoryId: string;
  /** Category names from the top level down. */
  categoryPath: string[];
  depth: number;
}

export interface SignatureOptions {
  groupings: Grouping[];
  /** Depths to report (1 = top level); default every depth of the taxonomy. */
  depths?: number[];
  z?: number;
  /** Keep analyses that found no error in the shares (default: left out, see withoutNoError). */
  includeNoError?: boolean;
}

interface GroupDef {
  key(f: FailureView): string | undefined;
  /** Population strata of a group, or undefined when predictions per group are unknown (metadata columns). */
  population(group: string, all: readonly PopulationStats[]): PopulationStats[] | undefined;
  groupsFromPopulation(all: readonly PopulationStats[]): string[];
}

/** The groupings every run writes to its signature files: per model, per dataset, per model × dataset. */
export const DEFAULT_GROUPINGS: Grouping[] = [{ by: 'model' }, { by: 'dataset' }, { by: 'model,dataset' }];

export const MODEL_DATASET_SEPARATOR = ' × ';

function groupDef(g: Grouping): GroupDef {
  switch (g.by) {
    case 'model':
      return {
        key: (f) => f.model,
        population: (grp, all) => all.filter((p) => p.model === grp),
        groupsFromPopulation: (all) => all.map((p) => p.model),
      };
    case 'dataset':
      return {
        key: (f) => f.dataset,
        population: (grp, all) => all.filter((p) => p.dataset === grp),
        groupsFromPopulation: (all) => all.map((p) => p.dataset),
      };
    case 'model,dataset': {
      const label = (model: string, dataset: string) => `${model}${MODEL_DATASET_SEPARATOR}${dataset}`;
      return {
        key: (f) => label(f.model, f.dataset),
        population: (grp, all) => all.filter((p) => label(p.model, p.dataset) === grp),
        groupsFromPopulation: (all) => all.map((p) => label(p.model, p.dataset)),
      };
    }
    case 'meta':
      return { key: (f) => f.metadata[g.column], population: () => undefined, groupsFromPopulation: () => [] };
  }
}

/**
 * Rejects a meta:COLUMN grouping whose column no failure of the run carries (a typo, or a column the
 * inputs never had), which would otherwise yield no rows and read as "nothing analysed". A run without
 * failures has nothing to group, so it is not checked.
 */
export function checkMetadataColumns(groupings: readonly Grouping[], failures: readonly Pick<FailureView, 'metadata'>[]): void {
  const wanted = groupings.flatMap((g) => (g.by === 'meta' ? [g.column] : []));
  if (wanted.length === 0 || failures.length === 0) return;
  const columns = new Set<string>();
  for (const f of failures) for (const key of Object.keys(f.metadata)) columns.add(key);
  const unknown = wanted.find((c) => !columns.has(c));
  if (unknown === undefined) return;
  const known = [...columns].sort();
  throw new ConfigError(`unknown metadata column "${unknown}"; columns in this run: ${known.length > 0 ? known.join(', ') : '(none)'}`);
}

/**
 * Failure signatures: for each group, the share of its failures in every category at every requested
 * depth, with 95% Wilson intervals, and the estimated incidence per 100 predictions
 * (share × analysable failures / analysable predictions × 100). Failures are weighted by their stratum's
 * sampling ratio (see samplingWeights). Rates count only strata whose failures were analysed (see
 * analysedStrata; populationWarnings names the others). The incidence interval combines the share's and the
 * failure rate's intervals (productInterval): the rate's own uncertainty is small beside the share's, but
 * where the share is certain (every failure in one category) it is all there is. Analyses that found no
 * error are left out unless `includeNoError` (see withoutNoError).
 */
export function computeSignatures(given: Pick<RunData, 'taxonomy' | 'failures' | 'population'>, options: SignatureOptions): SignatureRow[] {
  checkMetadataColumns(options.groupings, given.failures);
  const run = chartRun(given, options.includeNoError);
  const index = indexTaxonomy(run.taxonomy);
  const depths = options.depths ?? Array.from({ length: index.maxDepth }, (_, i) => i + 1);
  const placed = placedFailures(run.failures);
  const weights = samplingWeights(placed, run.population);
  const { analysed } = analysedStrata(run.population, placed);
  const rows: SignatureRow[] = [];
  for (const grouping of options.groupings) {
    const def = groupDef(grouping);
    const members = new Map<string, FailureView[]>();
    for (const group of def.groupsFromPopulation(run.population)) members.set(group, []);
    for (const f of placed) {
      const group = def.key(f);
      if (group === undefined || group === '') continue;
      // Append in place: copying the list per failure made this quadratic (minutes at 100,000 failures).
      const list = members.get(group);
      if (list) list.push(f);
      else members.set(group, [f]);
    }
    for (const group of [...members.keys()].sort()) {
      const failures = members.get(group) ?? [];
      if (failures.length === 0) continue;
      const strata = def.population(group, analysed);
      const rate = strata ? failureRate(strata) : undefined;
      for (const depth of depths) {
        for (const e of estimateShares(failures, weights, categoriesAtDepth(index, depth), depth, options.z)) {
          rows.push({
            groupBy: groupingLabel(grouping),
            group,
            categoryId: e.categoryId,
            categoryPath: index.byId.get(e.categoryId)?.namePath ?? [e.categoryId],
            depth,
            ...sideFromEstimate(e, rate, options.z),
          });
        }
      }
    }
  }
  return rows;
}
