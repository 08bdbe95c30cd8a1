import { createAnthropic } from '@ai-sdk/anthropic';
import type { LanguageModelV3Usage } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { generateAnswer, textMessage, toUsage } from './model-call.js';
import { firstUserMessage } from './prompt-cache-hints.js';

const usage = (input: number, output: number, cacheRead?: number, cacheWrite?: number): LanguageModelV3Usage => ({
  inputTokens: { total: input, noCache: undefined, cacheRead, cacheWrite },
  outputTokens: { total: output, text: undefined, reasoning: undefined },
});

describe('toUsage', () => {
  it('reads tokens, and cache reads and writes only when there were some', () => {
    expect(toUsage(undefined)).toEqual({ inputTokens: 0, outputTokens: 0 });
    expect(toUsage(usage(10, 4))).toEqual({ inputTokens: 10, outputTokens: 4 });
    expect(toUsage(usage(10, 4, 0, 0))).toEqual({ inputTokens: 10, outputTokens: 4 });
    expect(toUsage(usage(10, 4, 6, 2))).toEqual({ inputTokens: 10, outputTokens: 4, cachedInputTokens: 6, cacheWriteTokens: 2 });
    expect(toUsage(usage(1, 1, undefined, 1))).toEqual({ inputTokens: 1, outputTokens: 1, cacheWriteTokens: 1 });
  });
});

describe('a call through the Anthropic provider package', () => {
  // The package itself builds the request; a fetch stands in for api.anthropic.com and answers like it.
  const anthropicAgainst = (answer: Record<string, unknown>) => {
    const sent: Record<string, unknown>[] = [];
    const fetch: typeof globalThis.fetch = async (_url, init) => {
      sent.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
      return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    return { model: createAnthropic({ apiKey: 'test-key', fetch })('claude-sonnet-4-5'), sent };
  };

  it('puts the cache_control breakpoint after the shared prefix and reads cache reads and writes from the usage', async () => {
    const { model, sent } = anthropicAgainst({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: '{"ok":true}' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 100, output_tokens: 7, cache_read_input_tokens: 1200, cache_creation_input_tokens: 300 },
    });
    const user = 'shared input and references | failing output';
    const answer = await generateAnswer(model, {
      system: 'You analyse failures.',
      messages: [firstUserMessage(user, user.indexOf('|'), 'breakpoint')],
      temperature: 0,
    });
    expect(answer.text).toBe('{"ok":true}');
    // Anthropic's input_tokens leave out the cached ones; errormap's input counts every prompt token.
    expect(answer.usage).toEqual({ inputTokens: 1600, outputTokens: 7, cachedInputTokens: 1200, cacheWriteTokens: 300 });
    const body = sent[0] as { system: { text: string }[]; messages: { role: string; content: Record<string, unknown>[] }[] };
    expect(body.system.map((s) => s.text).join('')).toBe('You analyse failures.');
    expect(body.messages).toHaveLength(1);
    expect(body.messages[0].content).toEqual([
      { type: 'text', text: 'shared input and references ', cache_control: { type: 'ephemeral' } },
      { type: 'text', text: '| failing output' },
    ]);
  });

  it('keeps a re-ask in the conversation: the previous answer, then the problem', async () => {
    const { model, sent } = anthropicAgainst({
      id: 'msg_2',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [
        { type: 'text', text: '{"a":' },
        { type: 'text', text: '1}' },
      ],
      stop_reason: 'end_turn',
      usage: { input_tokens: 5, output_tokens: 3 },
    });
    const answer = await generateAnswer(model, {
      system: 's',
      messages: [textMessage('user', 'q'), textMessage('assistant', 'not json'), textMessage('user', 'answer again')],
    });
    expect(answer.text).toBe('{"a":1}');
    expect(answer.usage).toEqual({ inputTokens: 5, outputTokens: 3 });
    const body = sent[0] as { messages: { role: string; content: { text: string }[] }[] };
    expect(body.messages.map((m) => [m.role, m.content.map((c) => c.text).join('')])).toEqual([
      ['user', 'q'],
      ['assistant', 'not json'],
      ['user', 'answer again'],
    ]);
  });
});
