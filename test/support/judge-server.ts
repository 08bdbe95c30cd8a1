import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A scripted OpenAI-compatible chat server on 127.0.0.1 for tests (it also answers /embeddings with
 * scriptedEmbedding): each chat request is answered by a function, so a test can script valid and invalid answers, HTTP errors, delays and dropped
 * connections, then assert what the judge sent. Nothing is logged (requests carry keys).
 */
export type ScriptedReply =
  | { json: unknown /** Prompt tokens the reply reports as served from a provider's prompt cache. */; cachedTokens?: number }
  | { text: string }
  | { status: number; retryAfter?: string; body?: string }
  | { delayMs: number; reply: ScriptedReply }
  | { hangUp: true };

export interface ScriptedRequest {
  /** The response_format json_schema name (the judge task), or 'unknown'. */
  task: string;
  body: any;
  /** System messages joined by blank lines. */
  system: string;
  /** The first user message (the rendered prompt). */
  user: string;
  /** 1 for the first request with this task and these exact messages, 2 for its first retry, … */
  attempt: number;
  /** Assistant turns already in the conversation: 0 for a first ask, 1 after one re-ask, … */
  reasks: number;
}

export interface RecordedServerRequest {
  task: string;
  body: any;
  headers: IncomingHttpHeaders;
}

export interface JudgeServer {
  /** http://127.0.0.1:PORT/v1 */
  baseUrl: string;
  requests: RecordedServerRequest[];
  countByTask(): Record<string, number>;
  /** The most chat requests that were being answered at the same moment. */
  maxInFlight(): number;
  close(): Promise<void>;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join('');
  return '';
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const approxTokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}

function sendCompletion(res: ServerResponse, body: any, content: string, promptChars: number, cachedTokens?: number): void {
  const usage = {
    prompt_tokens: Math.max(1, Math.ceil(promptChars / 4)),
    completion_tokens: approxTokens(content),
    total_tokens: 0,
    ...(cachedTokens ? { prompt_tokens_details: { cached_tokens: cachedTokens } } : {}),
  };
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  const id = `chatcmpl-scripted-${Math.random().toString(36).slice(2, 10)}`;
  const created = Math.floor(Date.now() / 1000);
  const model = String(body?.model ?? 'scripted');
  if (body?.stream) {
    // Minimal streaming: the whole content in one chunk, then the finish and usage chunks.
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const chunk = (delta: unknown, finish: string | null, withUsage = false) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }], ...(withUsage ? { usage } : {}) })}\n\n`;
    res.write(chunk({ role: 'assistant', content }, null));
    res.write(chunk({}, 'stop', true));
    res.end('data: [DONE]\n\n');
    return;
  }
  sendJson(res, 200, {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage,
  });
}

/** A chat request's start (body read) or end (answer sent), for probes of calls in flight over time. */
export interface ServerCallEvent {
  phase: 'start' | 'end';
  task: string;
  /** performance.timeOrigin + performance.now(), in ms. */
  at: number;
}

/**
 * The scripted embedding of a text: how often each letter a–z occurs in it (case-folded), so a test can
 * compute any cosine similarity by hand ("ab" and "abb": 3 / √10).
 */
export function scriptedEmbedding(text: string): number[] {
  const vector = new Array<number>(26).fill(0);
  for (const ch of text.toLowerCase()) {
    const i = ch.charCodeAt(0) - 97;
    if (i >= 0 && i < 26) vector[i]++;
  }
  return vector;
}

/** OpenAI-compatible /embeddings: one scripted embedding per input, in order. */
async function handleEmbeddings(req: IncomingMessage, res: ServerResponse, requests: RecordedServerRequest[]): Promise<void> {
  let body: any;
  try {
    body = JSON.parse(await readBody(req));
  } catch {
    sendJson(res, 400, { error: { message: 'request body is not JSON', type: 'invalid_request_error' } });
    return;
  }
  requests.push({ task: 'embeddings', body, headers: { ...req.headers } });
  const inputs: string[] = Array.isArray(body?.input) ? body.input.map(String) : [String(body?.input ?? '')];
  const tokens = inputs.reduce((n, t) => n + approxTokens(t), 0);
  sendJson(res, 200, {
    object: 'list',
    data: inputs.map((text, index) => ({ object: 'embedding', index, embedding: scriptedEmbedding(text) })),
    model: String(body?.model ?? 'scripted-embedder'),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}

export async function startJudgeServer(options: {
  respond: (req: ScriptedRequest) => ScriptedReply | Promise<ScriptedReply>;
  /** Sees every chat request start and end. */
  observe?: (event: ServerCallEvent) => void;
  /** Keep every request body in `requests` (default true; a benchmark of 100,000 calls turns it off). */
  recordRequests?: boolean;
}): Promise<JudgeServer> {
  const requests: RecordedServerRequest[] = [];
  const seenMessages = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  let inFlight = 0;
  let maxInFlight = 0;

  async function deliver(reply: ScriptedReply, res: ServerResponse, req: IncomingMessage, body: any, promptChars: number): Promise<void> {
    if ('hangUp' in reply) {
      req.socket.destroy();
      return;
    }
    if ('delayMs' in reply) {
      const cancelled = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve(false);
        }, reply.delayMs);
        timers.add(timer);
        // The client gave up (its timeout): stop waiting.
        res.on('close', () => {
          clearTimeout(timer);
          timers.delete(timer);
          resolve(true);
        });
      });
      if (cancelled || res.destroyed) return;
      return deliver(reply.reply, res, req, body, promptChars);
    }
    if ('status' in reply) {
      const headers: Record<string, string> = reply.retryAfter !== undefined ? { 'retry-after': reply.retryAfter } : {};
      const errorBody =
        reply.body ?? JSON.stringify({ error: { message: `scripted error ${reply.status}`, type: 'scripted_error', code: reply.status } });
      res.writeHead(reply.status, { 'content-type': 'application/json', ...headers });
      res.end(errorBody);
      return;
    }
    const content = 'json' in reply ? JSON.stringify(reply.json) : reply.text;
    sendCompletion(res, body, content, promptChars, 'json' in reply ? reply.cachedTokens : undefined);
  }

  async function handleChat(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    let body: any;
    try {
      body = JSON.parse(raw);
    } catch {
      sendJson(res, 400, { error: { message: 'request body is not JSON', type: 'invalid_request_error' } });
      return;
    }
    const task = String(body?.response_format?.json_schema?.name ?? 'unknown');
    if (options.recordRequests !== false) requests.push({ task, body, headers: { ...req.headers } });
    const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
    const system = messages
      .filter((m) => m?.role === 'system')
      .map((m) => textOf(m.content))
      .join('\n\n');
    const user = textOf(messages.find((m) => m?.role === 'user')?.content);
    const reasks = messages.filter((m) => m?.role === 'assistant').length;
    const messagesKey = options.recordRequests !== false ? JSON.stringify([task, messages]) : '';
    const attempt = (seenMessages.get(messagesKey) ?? 0) + 1;
    if (options.recordRequests !== false) seenMessages.set(messagesKey, attempt);
    const promptChars = messages.reduce((n, m) => n + textOf(m?.content).length, 0);

    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const now = () => performance.timeOrigin + performance.now();
    options.observe?.({ phase: 'start', task, at: now() });
    try {
      const reply = await options.respond({ task, body, system, user, attempt, reasks });
      await deliver(reply, res, req, body, promptChars);
    } catch (e) {
      if (!res.headersSent)
        sendJson(res, 500, { error: { message: `scripted respond() threw: ${(e as Error).message}`, type: 'server_error' } });
    } finally {
      inFlight--;
      options.observe?.({ phase: 'end', task, at: now() });
    }
  }

  const server = createServer((req, res) => {
    const url = (req.url ?? '').split('?')[0];
    if (req.method === 'POST' && url === '/v1/chat/completions') {
      void handleChat(req, res);
    } else if (req.method === 'POST' && url === '/v1/embeddings') {
      void handleEmbeddings(req, res, requests);
    } else if (req.method === 'GET' && url === '/v1/models') {
      sendJson(res, 200, { object: 'list', data: [{ id: 'scripted-judge', object: 'model', created: 0, owned_by: 'errormap-tests' }] });
    } else {
      sendJson(res, 404, { error: { message: `no route ${req.method} ${url}`, type: 'not_found' } });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    countByTask() {
      const counts: Record<string, number> = {};
      for (const r of requests) counts[r.task] = (counts[r.task] ?? 0) + 1;
      return counts;
    },
    maxInFlight: () => maxInFlight,
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}
