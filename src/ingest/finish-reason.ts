/**
 * Why generation stopped, as frameworks log it, in one vocabulary: "length" for a token limit (HELM and
 * OpenAI "length", Inspect and Anthropic "max_tokens", Inspect "model_length", Gemini "MAX_TOKENS"),
 * "stop" for a model that ended by itself ("stop", "end_turn", "stop_sequence", "eos"), and any other
 * logged reason lower-cased as it is ("content_filter", "tool_calls").
 */
export function normalizeFinishReason(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const reason = raw.trim().toLowerCase();
  if (reason === '' || reason === 'unknown' || reason === 'null') return undefined;
  if (LENGTH.has(reason)) return 'length';
  if (STOP.has(reason)) return 'stop';
  return reason;
}

const LENGTH = new Set(['length', 'max_tokens', 'max_length', 'model_length', 'max_new_tokens', 'max_output_tokens', 'token_limit']);
const STOP = new Set(['stop', 'end_turn', 'stop_sequence', 'eos', 'eos_token', 'end_of_text', 'finished']);

/** Below this, a token limit shapes a short answer (HELM multiple choice asks for 1 token) rather than cutting one off. */
const MIN_GENERATION_LIMIT = 16;

/** "length" when a logged count of generated tokens reached the logged limit; undefined when either is missing. */
export function finishReasonFromTokens(generated: unknown, limit: unknown): string | undefined {
  if (typeof generated !== 'number' || typeof limit !== 'number' || limit < MIN_GENERATION_LIMIT) return undefined;
  return generated >= limit ? 'length' : undefined;
}
