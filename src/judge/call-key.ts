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
      // Stryker disable next-line ConditionalExpression: JSON.stringify leaves undefined members out as well
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

// Canonical JSON of each schema object, made once: a run hashes the same schema thousands of times.
const canonicalSchemas = new WeakMap<object, string>();

function canonicalSchema(schema: unknown): string {
  // The memo only saves time: whichever branch a mutant takes, the text is the same.
  // Stryker disable next-line all: see above
  if (!schema || typeof schema !== 'object') return canonicalJson(schema);
  let found = canonicalSchemas.get(schema);
  // Stryker disable next-line ConditionalExpression: see above
  if (found === undefined) {
    found = canonicalJson(schema);
    canonicalSchemas.set(schema, found);
  }
  return found;
}

/** The call-cache key: sha256 of the canonical JSON of provider, model, task, parameters, messages and schema. */
export function callCacheKey(input: CallKeyInput): string {
  // Keys in sorted order (messages, model, parameters, provider, schema, task), exactly as canonicalJson
  // writes them, with the schema's canonical text reused.
  const head = canonicalJson({
    messages: [
      { role: 'system', content: input.system },
      { role: 'user', content: input.user },
    ],
    model: input.model,
    parameters: input.parameters,
    provider: input.provider,
  });
  const text = `${head.slice(0, -1)},"schema":${canonicalSchema(input.schema)},"task":${JSON.stringify(input.task)}}`;
  return createHash('sha256').update(text).digest('hex');
}
