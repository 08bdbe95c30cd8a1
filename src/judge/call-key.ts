import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so equal content always hashes equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** Everything that decides a judge's answer. The base URL and the key are deliberately not part of it. */
export interface CallKeyInput {
  provider: string;
  model: string;
  task: string;
  /** Sampling and format parameters (temperature, maxOutputTokens, structuredOutputs, …). */
  parameters: Record<string, unknown>;
  system: string;
  user: string;
  /** The JSON schema of the expected answer. */
  schema: unknown;
}

/** The call-cache key: sha256 of the canonical JSON of provider, model, task, parameters, messages and schema. */
export function callCacheKey(input: CallKeyInput): string {
  const payload = {
    provider: input.provider,
    model: input.model,
    task: input.task,
    parameters: input.parameters,
    messages: [
      { role: 'system', content: input.system },
      { role: 'user', content: input.user },
    ],
    schema: input.schema,
  };
  return createHash('sha256').update(canonicalJson(payload)).digest('hex');
}
