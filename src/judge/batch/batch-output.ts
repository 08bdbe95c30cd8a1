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
 * Turns each JSONL line that parses and matches `lineSchema` into an outcome. Lines that are not JSON
 * or do not match (no custom_id) are skipped: without an id nothing can be matched, and the request
 * then goes the synchronous way. Shared by the OpenAI and Anthropic result readers.
 */
export function readBatchLines<Line>(jsonl: string, lineSchema: z.ZodType<Line>, outcomeOf: (line: Line) => BatchOutcome): BatchOutcome[] {
  const outcomes: BatchOutcome[] = [];
  for (const raw of jsonl.split('\n')) {
    if (!raw.trim()) continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      continue;
    }
    const line = lineSchema.safeParse(json);
    if (line.success) outcomes.push(outcomeOf(line.data));
  }
  return outcomes;
}

/** Reads a batch output or error file (JSONL). */
export function readBatchOutput(jsonl: string): BatchOutcome[] {
  return readBatchLines(jsonl, outputLineSchema, ({ custom_id: key, response, error }): BatchOutcome => {
    if (error?.message || error?.code) return { key, kind: 'error', reason: [error.code, error.message].filter(Boolean).join(': ') };
    const status = response?.status_code;
    if (status !== undefined && status !== 200)
      return { key, kind: 'error', reason: errorReason(status, response?.body, 'request failed') };
    const completion = completionSchema.safeParse(response?.body);
    if (!completion.success) return { key, kind: 'error', reason: 'the response is not a chat completion' };
    const { choices, usage } = completion.data;
    return {
      key,
      kind: 'answer',
      text: choices[0]?.message?.content ?? '',
      usage: { inputTokens: usage?.prompt_tokens ?? 0, outputTokens: usage?.completion_tokens ?? 0 },
    };
  });
}
