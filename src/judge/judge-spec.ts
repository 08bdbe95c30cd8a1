import { ConfigError } from '../errors.js';

/** A parsed `--judge provider:model`. */
export interface JudgeSpec {
  provider: string;
  /** Everything after the first ':' — model names may contain ':' and '/' (ollama:llama3.1:8b). */
  model: string;
}

/** Splits `provider:model` at the first ':'. Throws ConfigError when either part is missing. */
export function parseJudgeSpec(spec: string): JudgeSpec {
  const text = spec.trim();
  const colon = text.indexOf(':');
  const provider = colon < 0 ? '' : text.slice(0, colon).trim().toLowerCase();
  const model = colon < 0 ? '' : text.slice(colon + 1).trim();
  if (!provider || !model) {
    throw new ConfigError(
      `--judge "${spec}" is not of the form provider:model (for example openai:gpt-4.1-mini, ollama:llama3.1:8b, openrouter:meta-llama/llama-3.1-70b-instruct)`,
    );
  }
  return { provider, model };
}
