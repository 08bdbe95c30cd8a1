import type { ReasoningLevel } from '../contracts/reasoning.js';
import type { JudgeRequest } from './judge.js';

export { REASONING_LEVELS, type ReasoningLevel } from '../contracts/reasoning.js';

/**
 * How a provider takes a reasoning effort: OpenAI and Azure by level, Anthropic and Google by a
 * thinking budget in tokens, OpenAI-compatible servers by `reasoning_effort` plus the "Reasoning: …"
 * system line that gpt-oss-style models read (the reference puts it atop every prompt).
 */
export type ReasoningStyle = 'openai' | 'anthropic' | 'google' | 'compatible';

/** Thinking budgets for providers that take tokens, not a level. */
export const THINKING_BUDGET_TOKENS: Record<ReasoningLevel, number> = { low: 1024, medium: 4096, high: 16384 };

type ProviderOptions = Record<string, Record<string, string | number | Record<string, string | number>>>;

/** The AI SDK provider options that ask for this effort; `providerName` keys the compatible servers' options. */
export function reasoningProviderOptions(style: ReasoningStyle, providerName: string, level: ReasoningLevel): ProviderOptions {
  switch (style) {
    case 'openai':
      return { openai: { reasoningEffort: level }, azure: { reasoningEffort: level } };
    case 'anthropic':
      return { anthropic: { thinking: { type: 'enabled', budgetTokens: THINKING_BUDGET_TOKENS[level] } } };
    case 'google':
      return { google: { thinkingConfig: { thinkingBudget: THINKING_BUDGET_TOKENS[level] } } };
    case 'compatible':
      return { [providerName]: { reasoningEffort: level } };
  }
}

/** The request as sent: for judges that read the effort from the prompt, the system prompt opens with it. */
export function withReasoningLine<T>(request: JudgeRequest<T>, style: ReasoningStyle, level: ReasoningLevel | undefined): JudgeRequest<T> {
  if (!level || style !== 'compatible') return request;
  return { ...request, system: `Reasoning: ${level}\n\n${request.system}` };
}
