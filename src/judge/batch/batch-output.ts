import { z } from 'zod';
import type { Usage } from '../judge.js';

/** What one line of a batch's output or error file says about one request (custom_id = call key). */
export type BatchOutcome = { key: string; kind: 'answer'; text: string; usage: Usage } | { key: string; kind: 'error'; reason: string };

// Only the fields we read; providers add more.
const outputLineSchema = z.object({
  custom_id: z.string(),
  response: z
    .object({
      status_code: z.number().optional(),
      body: z.unknown().optional(),
    })
    .nullish(),
  error: z.object({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
});

const completionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullish() }).nullish() })).min(1),
  usage: z.object({ prompt_tokens: z.number().optional(), completion_tokens: z.number().optional() }).nullish(),
});

const errorBodySchema = z.object({ error: z.object({ message: z.string().optional(), code: z.unknown().optional() }) });

function errorReason(status: number | undefined, body: unknown, fallback: string): string {
  const parsed = errorBodySchema.safeParse(body);
  const message = parsed.success ? parsed.data.error.message : undefined;
  return [status !== undefined ? `HTTP ${status}` : undefined, message ?? fallback].filter(Boolean).join(': ');
}

/**
 * Reads a batch output or error file (JSONL). Lines that are not JSON or have no custom_id are
 * skipped: without an id nothing can be matched, and the request then goes the synchronous way.
 */
export function readBatchOutput(jsonl: string): BatchOutcome[] {
  const outcomes: BatchOutcome[] = [];
  for (const raw of jsonl.split('\n')) {
    if (!raw.trim()) continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      continue;
    }
    const line = outputLineSchema.safeParse(json);
    if (!line.success) continue;
    const { custom_id: key, response, error } = line.data;
    if (error?.message || error?.code) {
      outcomes.push({ key, kind: 'error', reason: [error.code, error.message].filter(Boolean).join(': ') });
      continue;
    }
    const status = response?.status_code;
    if (status !== undefined && status !== 200) {
      outcomes.push({ key, kind: 'error', reason: errorReason(status, response?.body, 'request failed') });
      continue;
    }
    const completion = completionSchema.safeParse(response?.body);
    if (!completion.success) {
      outcomes.push({ key, kind: 'error', reason: 'the response is not a chat completion' });
      continue;
    }
    const { choices, usage } = completion.data;
    outcomes.push({
      key,
      kind: 'answer',
      text: choices[0]?.message?.content ?? '',
      usage: { inputTokens: usage?.prompt_tokens ?? 0, outputTokens: usage?.completion_tokens ?? 0 },
    });
  }
  return outcomes;
}
