// Short real outputs copied from public benchmark results, for the detector tests:
// MMLU-Pro (TIGER-AI-Lab/MMLU-Pro, Apache-2.0), TheoremQA (wenhuchen/TheoremQA, MIT),
// AlpacaEval (tatsu-lab/alpaca_eval, Apache-2.0), Vicuna bench via FastChat (lm-sys/FastChat, Apache-2.0).

import type { DetectContext } from '../../src/detect/finding.js';
import type { Prediction } from '../../src/ingest/prediction.js';
import { asFailure } from '../../src/prepare/failure.js';

export const MMLU_HEADER =
  'The following are multiple choice questions (with answers) about business. Think step by step and then finish your answer with "the answer is (X)" where X is the correct letter choice.\n\n';
export const MMLU_INPUT = `${MMLU_HEADER}Question: Douglas, Inc. received a 6% note with a 90 day term for $800. On May 1, the note was discounted at 6%. How much did Douglas, Inc. actually receive?
Options: A. $790
B. $808.12
C. $784.16
D. $803.88
E. $815.22
F. $795.67
G. $812
H. $785.50
I. $820.30
J. $800
Answer: Let's think step by step.`;

export const THEOREM_INPUT = `You are a mathematician, you are supposed to answer the given question. You need to output the answer in your final sentence like "Therefore, the answer is ...". The answer can only be one of the following forms:
1. a numerical value like 0.1, no symbol at all.
2. a list of number like [2, 3, 4].
3. True/False.
4. an option like (a), (b), (c), (d)

Question: A glider with mass m = 0.200 kg sits on a frictionless horizontal air track. What is its x-velocity?`;

let line = 2;
export function prediction(partial: Partial<Prediction> & Pick<Prediction, 'outputText'>): Prediction {
  return {
    dataset: 'test',
    exampleId: 'ex1',
    model: 'model-a',
    inputText: 'Say something.',
    score: 0,
    metadata: {},
    source: { file: 'test.csv', line: line++ },
    ...partial,
  };
}

export function context(
  partial: Partial<Prediction> & Pick<Prediction, 'outputText'>,
  extra: Partial<Omit<DetectContext, 'failure'>> = {},
): DetectContext {
  const failure = asFailure(prediction(partial), 'f1', 1);
  return { failure, references: [], sameExample: [failure], ...extra };
}
