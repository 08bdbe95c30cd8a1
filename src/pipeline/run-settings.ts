import type { AnswerFormatConfig } from '../detect/finding.js';
import type { ReasoningLevel } from '../judge/reasoning.js';

export type PrecheckMode = 'hint' | 'label' | 'off';

/** Everything `errormap run` needs. The CLI resolves flags and config files into this. */
export interface RunSettings {
  inputs: string[];
  /** Run directory. */
  out: string;
  format?: string;
  metric?: string;
  filter?: string;

  /** "provider:model", or "offline" for the detector-only analyst. */
  judge: string;
  baseUrl?: string;
  /** Secret: used to build the judge, never written anywhere. */
  apiKey?: string;
  concurrency: number;
  maxRetries: number;
  timeoutMs: number;
  temperature: number;
  structuredOutputs?: boolean;
  /** Reasoning effort for judges that have one. */
  reasoning?: ReasoningLevel;
  price?: { input: number; output: number };
  /** Send the analyses through the provider's batch API (OpenAI, Azure, compatible servers, Anthropic) before the synchronous pass. */
  batch: boolean;
  batchPollSeconds: number;

  thresholds: Record<string, number>;
  ratio: number;
  seed: number;
  maxErrors?: number;
  models?: string[];

  maxReferences: number;
  textBudget: number;
  precheck: PrecheckMode;
  answerFormats: Record<string, AnswerFormatConfig>;
  promptsDir?: string;

  maxDepth: number;
  maxCategories: number;
  minShare: number;
  /** A fixed taxonomy (atlas mode): classify into it instead of generating one. */
  taxonomyFile?: string;
}

export const DEFAULT_RUN_SETTINGS: Omit<RunSettings, 'inputs' | 'out' | 'judge'> = {
  concurrency: 8,
  maxRetries: 4,
  timeoutMs: 120_000,
  temperature: 0,
  batch: false,
  batchPollSeconds: 30,
  thresholds: {},
  ratio: 0.1,
  seed: 42,
  maxReferences: 3,
  textBudget: 12_000,
  precheck: 'hint',
  answerFormats: {},
  maxDepth: 3,
  maxCategories: 25,
  minShare: 0,
};

export { OFFLINE_JUDGE } from '../analyze/offline-analyst.js';

/** Settings as recorded in run.json: no secret, paths as given. */
export function publicSettings(settings: RunSettings): Record<string, unknown> {
  const { apiKey: _secret, ...rest } = settings;
  return { ...rest, apiKey: settings.apiKey ? '(given, not recorded)' : undefined };
}
