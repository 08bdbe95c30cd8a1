import { type CategoryDraft, OTHER_NAME } from '../contracts/taxonomy-node.js';
import { isRecordableCallFailure } from '../judge/judge.js';
import type { StageRuntime } from './context.js';
import { normaliseName } from './node-id.js';
import { categoriesBlock, numberedTitlesBlock, type ParentContext, parentVars } from './prompt-vars.js';
import { chunk, type UniqueTitle } from './titles.js';

/** Index into the category list, or OTHER when the judge said nothing fits. */
export const OTHER = -1;
/** The title could not be classified even after retries: it is reported, never filed under Other. */
export const UNPLACED = -2;

export interface ClassificationRequest {
  titles: readonly UniqueTitle[];
  categories: readonly CategoryDraft[];
  batchSize: number;
  parent?: ParentContext;
  nodeName: string;
  depth: number;
}

/** What one batch (with its retries) settled: a choice per title, or why it has none. */
interface BatchOutcome {
  chosen: Map<string, number>;
  unplaced: { title: UniqueTitle; reason: string }[];
}

interface Classifier {
  ask(titles: readonly UniqueTitle[]): Promise<Map<number, string>>;
  index: Map<string, number>;
  /** Another call was needed (a retry): the progress total grows by one. */
  extraCall(): void;
}

const OTHER_KEY = normaliseName(OTHER_NAME);

/**
 * Assigns every title one category (by index), OTHER when the judge says nothing fits, or UNPLACED.
 * A batch whose call fails is split in halves and asked again, down to single titles; titles the
 * judge leaves out or files under an unknown name are asked once more on their own. Titles that still
 * have no category are UNPLACED and listed in `rt.unplaced` with the reason, so nothing is lost and
 * nothing is filed under Other by accident.
 */
export async function classifyTitles(req: ClassificationRequest, rt: StageRuntime): Promise<Map<string, number>> {
  const result = new Map<string, number>(req.titles.map((t) => [t.key, OTHER]));
  if (req.categories.length === 0) return result;
  const categories = categoriesBlock([
    ...req.categories,
    { name: OTHER_NAME, description: 'None of the categories above fits the error.' },
  ]);
  const batches = chunk(req.titles, req.batchSize);
  let done = 0;
  let total = batches.length;
  const tick = () => rt.ctx.onProgress?.({ task: 'error_classification', node: req.nodeName, depth: req.depth, done: ++done, total });
  const classifier: Classifier = {
    index: new Map(req.categories.map((c, i) => [normaliseName(c.name), i])),
    extraCall: () => total++,
    async ask(titles) {
      const request = rt.prompts.requestFor('error_classification', {
        ...parentVars(req.parent),
        categories,
        titles: numberedTitlesBlock(titles.map((t) => t.title)),
      });
      try {
        const { value } = await rt.ctx.judge.call(request);
        const answers = new Map<number, string>();
        for (const a of value.assignments) if (!answers.has(a.id)) answers.set(a.id, normaliseName(a.category));
        return answers;
      } finally {
        tick();
      }
    },
  };
  // Outcomes are kept per batch and merged in batch order, so warnings do not depend on arrival order.
  const outcomes = await Promise.all(batches.map((batch) => classifyBatch(batch, classifier, true)));
  let unplacedTitles = 0;
  for (const outcome of outcomes) {
    for (const [key, choice] of outcome.chosen) result.set(key, choice);
    for (const { title, reason } of outcome.unplaced) {
      result.set(title.key, UNPLACED);
      for (const failureId of title.failureIds) rt.unplaced.push({ failureId, reason: `classification at "${req.nodeName}": ${reason}` });
    }
    unplacedTitles += outcome.unplaced.length;
  }
  if (unplacedTitles > 0) {
    const first = outcomes.flatMap((o) => o.unplaced)[0];
    rt.warnings.push(
      `classification at "${req.nodeName}": ${unplacedTitles} titles could not be classified after retries and are left unplaced (first reason: ${first.reason})`,
    );
  }
  return result;
}

/** One batch: ask, then split a failed call in halves and re-ask left-out or misnamed titles once. */
async function classifyBatch(batch: readonly UniqueTitle[], classifier: Classifier, mayReask: boolean): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { chosen: new Map(), unplaced: [] };
  let answers: Map<number, string>;
  try {
    answers = await classifier.ask(batch);
  } catch (e) {
    if (!isRecordableCallFailure(e)) throw e;
    if (batch.length === 1) return { chosen: new Map(), unplaced: [{ title: batch[0], reason: `call failed (${e.reason})` }] };
    const half = Math.ceil(batch.length / 2);
    classifier.extraCall();
    classifier.extraCall();
    const parts = await Promise.all([batch.slice(0, half), batch.slice(half)].map((part) => classifyBatch(part, classifier, mayReask)));
    return merge(parts);
  }
  const unsettled: { title: UniqueTitle; reason: string }[] = [];
  batch.forEach((title, i) => {
    const name = answers.get(i + 1);
    const chosen = name === undefined ? undefined : name === OTHER_KEY ? OTHER : classifier.index.get(name);
    if (chosen !== undefined) outcome.chosen.set(title.key, chosen);
    else
      unsettled.push({
        title,
        reason: name === undefined ? 'the judge left the title out' : `the judge named an unknown category "${name.slice(0, 100)}"`,
      });
  });
  if (unsettled.length === 0) return outcome;
  if (!mayReask) return merge([outcome, { chosen: new Map(), unplaced: unsettled }]);
  classifier.extraCall();
  return merge([
    outcome,
    await classifyBatch(
      unsettled.map((u) => u.title),
      classifier,
      false,
    ),
  ]);
}

function merge(parts: BatchOutcome[]): BatchOutcome {
  return {
    chosen: new Map(parts.flatMap((p) => [...p.chosen])),
    unplaced: parts.flatMap((p) => p.unplaced),
  };
}
