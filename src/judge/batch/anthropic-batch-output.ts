import { z } from 'zod';
import type { Usage } from '../judge.js';
import { type BatchOutcome, readBatchLines } from './batch-output.js';

// Only the fields we read; the API adds more.
const contentBlockSchema = z.object({
  type: z.string(),
  text: z.string().optional(),
  name: z.string().optional(),
  input: z.unknown().optional(),
});

const messageSchema = z.object({
  content: z.array(contentBlockSchema),
  stop_reason: z.string().nullish(),
  usage: z
    .object({
      input_tokens: z.number().nullish(),
      output_tokens: z.number().nullish(),
      cache_creation_input_tokens: z.number().nullish(),
      cache_read_input_tokens: z.number().nullish(),
    })
    .nullish(),
});

const errorSchema = z.object({ type: z.string().optional(), message: z.string().optional() });

const resultLineSchema = z.object({
  custom_id: z.string(),
  result: z.object({
    type: z.string(),
    message: z.unknown().optional(),
    // The API nests the error ({type: 'error', error: {type, message}}); older shapes were flat.
    error: z.object({ type: z.string().optional(), message: z.string().optional(), error: errorSchema.optional() }).nullish(),
  }),
});

/**
 * The answer text the AI SDK's anthropic provider makes of a Messages API reply to our requests: the
 * input of the forced `json` tool call when the request used that tool (older models), otherwise the
 * text blocks (models answering through `output_config.format`). Our requests carry no other tools.
 */
export function answerTextOf(message: z.infer<typeof messageSchema>): string {
  const jsonTool = message.content.find((block) => block.type === 'tool_use' && block.name === 'json');
  if (jsonTool) return JSON.stringify(jsonTool.input ?? {});
  return message.content
    .filter((block) => block.type === 'text')
    .map((block) => block.text ?? '')
    .join('');
}

/** Tokens as the AI SDK counts them for a synchronous call: prompt-cache tokens are input too. */
function usageOf(usage: z.infer<typeof messageSchema>['usage']): Usage {
  const input = (usage?.input_tokens ?? 0) + (usage?.cache_creation_input_tokens ?? 0) + (usage?.cache_read_input_tokens ?? 0);
  return { inputTokens: input, outputTokens: usage?.output_tokens ?? 0 };
}

/** Reads the JSONL results of an Anthropic message batch into outcomes. */
export function readAnthropicBatchResults(jsonl: string): BatchOutcome[] {
  return readBatchLines(jsonl, resultLineSchema, ({ custom_id: key, result }): BatchOutcome => {
    if (result.type !== 'succeeded') {
      const error = result.error?.error ?? result.error;
      const detail = [error?.type, error?.message].filter(Boolean).join(': ');
      return { key, kind: 'error', reason: detail ? `${result.type}: ${detail}` : result.type };
    }
    const message = messageSchema.safeParse(result.message);
    if (!message.success) return { key, kind: 'error', reason: 'the result is not a message' };
    return { key, kind: 'answer', text: answerTextOf(message.data), usage: usageOf(message.data.usage) };
  });
}
