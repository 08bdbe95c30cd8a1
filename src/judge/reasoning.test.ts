import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type JudgeServer, startJudgeServer } from '../../test/support/judge-server.js';
import { createJudge } from './create-judge.js';
import { reasoningProviderOptions, THINKING_BUDGET_TOKENS } from './reasoning.js';

let server: JudgeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const request = { task: 'error_analysis' as const, system: 'You analyse failures.', user: 'Q', schema: z.object({ ok: z.boolean() }) };

describe('--reasoning', () => {
  it('sends reasoning_effort and opens the system prompt with "Reasoning: high" on an OpenAI-compatible server', async () => {
    server = await startJudgeServer({ respond: () => ({ json: { ok: true } }) });
    const judge = createJudge({ spec: 'openai-compatible:gpt-oss', baseUrl: server.baseUrl, reasoning: 'high', env: {} });
    await judge.call(request);
    const body = server.requests[0].body;
    expect(body.reasoning_effort).toBe('high');
    expect(body.messages[0]).toMatchObject({ role: 'system', content: 'Reasoning: high\n\nYou analyse failures.' });
  });

  it('changes nothing in the request without it', async () => {
    server = await startJudgeServer({ respond: () => ({ json: { ok: true } }) });
    const judge = createJudge({ spec: 'openai-compatible:gpt-oss', baseUrl: server.baseUrl, env: {} });
    await judge.call(request);
    expect(server.requests[0].body.reasoning_effort).toBeUndefined();
    expect(server.requests[0].body.messages[0].content).toBe('You analyse failures.');
  });

  it("maps the level onto each hosted provider's own option", () => {
    expect(reasoningProviderOptions('openai', 'openai', 'low').openai).toEqual({ reasoningEffort: 'low' });
    expect(reasoningProviderOptions('anthropic', 'anthropic', 'high').anthropic).toEqual({
      thinking: { type: 'enabled', budgetTokens: THINKING_BUDGET_TOKENS.high },
    });
    expect(reasoningProviderOptions('google', 'google', 'medium').google).toEqual({ thinkingConfig: { thinkingBudget: 4096 } });
  });
});
