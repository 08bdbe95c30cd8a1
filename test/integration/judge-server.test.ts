import { afterEach, describe, expect, it } from 'vitest';
import { type JudgeServer, type ScriptedRequest, startJudgeServer } from '../support/judge-server.js';

let server: JudgeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function chat(baseUrl: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return fetch(`${baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

const schemaBody = (name: string, user = 'the prompt') => ({
  model: 'm',
  messages: [
    { role: 'system', content: 'sys' },
    { role: 'user', content: user },
  ],
  response_format: { type: 'json_schema', json_schema: { name, schema: { type: 'object' } } },
});

describe('startJudgeServer', () => {
  it('answers chat completions with the scripted JSON, realistic usage and the parsed request', async () => {
    const seen: ScriptedRequest[] = [];
    server = await startJudgeServer({
      respond: (r) => {
        seen.push(r);
        return { json: { ok: true } };
      },
    });
    expect(server.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const res = await chat(server.baseUrl, schemaBody('error_analysis', 'x'.repeat(400)), { authorization: 'Bearer k' });
    const json = await res.json();
    expect(JSON.parse(json.choices[0].message.content)).toEqual({ ok: true });
    expect(json.usage.prompt_tokens).toBe(Math.ceil(403 / 4));
    expect(json.usage.completion_tokens).toBe(Math.ceil('{"ok":true}'.length / 4));
    expect(seen[0]).toMatchObject({ task: 'error_analysis', system: 'sys', user: 'x'.repeat(400), attempt: 1, reasks: 0 });
    expect(server.requests[0].headers.authorization).toBe('Bearer k');
  });

  it('counts attempts per identical messages and requests per task', async () => {
    server = await startJudgeServer({ respond: (r) => ({ text: `attempt ${r.attempt}` }) });
    const contents: string[] = [];
    for (const body of [schemaBody('a'), schemaBody('a'), schemaBody('b'), { model: 'm', messages: [{ role: 'user', content: 'hi' }] }]) {
      contents.push((await (await chat(server.baseUrl, body)).json()).choices[0].message.content);
    }
    expect(contents).toEqual(['attempt 1', 'attempt 2', 'attempt 1', 'attempt 1']);
    expect(server.countByTask()).toEqual({ a: 2, b: 1, unknown: 1 });
  });

  it('returns scripted errors with Retry-After, and delays', async () => {
    server = await startJudgeServer({
      respond: (r) => (r.attempt === 1 ? { status: 429, retryAfter: '2' } : { delayMs: 50, reply: { text: 'late' } }),
    });
    const first = await chat(server.baseUrl, schemaBody('a'));
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('2');
    const started = Date.now();
    const second = await chat(server.baseUrl, schemaBody('a'));
    expect((await second.json()).choices[0].message.content).toBe('late');
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('drops the connection on hangUp', async () => {
    server = await startJudgeServer({ respond: () => ({ hangUp: true }) });
    // fetch reports a socket closed before any answer: undici's "other side closed", not an HTTP error
    await expect(chat(server.baseUrl, schemaBody('a'))).rejects.toMatchObject({
      name: 'TypeError',
      message: 'fetch failed',
      cause: { code: 'UND_ERR_SOCKET', message: 'other side closed' },
    });
  });

  it('streams the whole answer in one chunk when asked to stream', async () => {
    server = await startJudgeServer({ respond: () => ({ text: 'streamed' }) });
    const res = await chat(server.baseUrl, { ...schemaBody('a'), stream: true });
    const events = (await res.text()).split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    expect(JSON.parse(events[0].slice(6)).choices[0].delta.content).toBe('streamed');
    expect(JSON.parse(events[1].slice(6)).usage.completion_tokens).toBeGreaterThan(0);
  });

  it('lists a model', async () => {
    server = await startJudgeServer({ respond: () => ({ text: '' }) });
    const res = await fetch(`${server.baseUrl}/models`);
    expect((await res.json()).data[0].id).toBe('scripted-judge');
  });
});
