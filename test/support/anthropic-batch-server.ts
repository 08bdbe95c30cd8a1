import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson, serveOnLoopback, textOf } from './batch-server.js';

/**
 * A scripted Anthropic server on 127.0.0.1 for tests: the Message Batches endpoints (create, status,
 * results) and the synchronous Messages endpoint, so one base URL serves batch mode and the judge,
 * and each side's traffic is recorded. Replies take the shape the request asked for: a forced `json`
 * tool call when the request carries that tool, otherwise a text block. Nothing is logged.
 */
export type AnthropicReply =
  | { json: unknown; usage?: { input_tokens: number; output_tokens: number } }
  | { text: string }
  /** result.type errored, with this error message. */
  | { errored: string }
  | { expired: true }
  | { canceled: true }
  /** Never comes back in the results. */
  | { omit: true };

export interface AnthropicRequestView {
  /** The Messages API body (a batch request's params, or a synchronous request's body). */
  body: any;
  /** System text blocks joined by blank lines. */
  system: string;
  /** The first user message's text. */
  user: string;
}

export interface AnthropicBatchRequest extends AnthropicRequestView {
  custom_id: string;
}

export interface ScriptedMessageBatch {
  id: string;
  requests: AnthropicBatchRequest[];
  polls: number;
  processing_status: 'in_progress' | 'ended';
  results?: string;
}

export interface AnthropicBatchServer {
  /** http://127.0.0.1:PORT/v1 */
  baseUrl: string;
  /** POST /v1/messages/batches: body and headers of each. */
  batchCreates: { body: any; headers: IncomingHttpHeaders }[];
  batches: Map<string, ScriptedMessageBatch>;
  /** Count of GET /v1/messages/batches/{id}. */
  statusPolls: number;
  /** Synchronous POST /v1/messages requests. */
  messages: { body: any; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

export interface AnthropicBatchServerOptions {
  /** Answers one batch request. */
  respondLine: (request: AnthropicBatchRequest) => AnthropicReply;
  /** Answers synchronous Messages requests (default: HTTP 500, so a test notices an unexpected call). */
  respondMessage?: (request: AnthropicRequestView) => AnthropicReply;
  /** A batch ends on this status poll (default 2: one in_progress answer, then ended). */
  finishOnPoll?: number;
  /** HTTP statuses to answer the first batch creations with before accepting one (to exercise retries). */
  failCreatesWith?: number[];
  /** Answer every batch request with a 401 that quotes the x-api-key back. */
  rejectKeys?: boolean;
}

function viewOf(body: any): AnthropicRequestView {
  const messages: any[] = body?.messages ?? [];
  const system = typeof body?.system === 'string' ? body.system : textOf(body?.system);
  return { body, system, user: textOf(messages.find((m) => m.role === 'user')?.content) };
}

/** A Messages API reply to `body`: the json tool call when it was offered, else a text block. */
function messageFor(body: any, reply: { json: unknown; usage?: { input_tokens: number; output_tokens: number } } | { text: string }) {
  const usesJsonTool = Array.isArray(body?.tools) && body.tools.some((t: any) => t?.name === 'json');
  const content =
    'json' in reply && usesJsonTool
      ? [{ type: 'tool_use', id: `toolu_${randomUUID().slice(0, 8)}`, name: 'json', input: reply.json }]
      : [{ type: 'text', text: 'json' in reply ? JSON.stringify(reply.json) : reply.text }];
  return {
    id: `msg_${randomUUID().slice(0, 12)}`,
    type: 'message',
    role: 'assistant',
    model: String(body?.model ?? 'scripted'),
    content,
    stop_reason: content[0]?.type === 'tool_use' ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: ('json' in reply && reply.usage) || { input_tokens: 100, output_tokens: 20 },
  };
}

function resultFor(request: AnthropicBatchRequest, reply: AnthropicReply): string | undefined {
  if ('omit' in reply) return undefined;
  const result =
    'errored' in reply
      ? { type: 'errored', error: { type: 'error', error: { type: 'invalid_request_error', message: reply.errored } } }
      : 'expired' in reply
        ? { type: 'expired' }
        : 'canceled' in reply
          ? { type: 'canceled' }
          : { type: 'succeeded', message: messageFor(request.body, reply) };
  return JSON.stringify({ custom_id: request.custom_id, result });
}

export async function startAnthropicBatchServer(options: AnthropicBatchServerOptions): Promise<AnthropicBatchServer> {
  const batchCreates: AnthropicBatchServer['batchCreates'] = [];
  const batches = new Map<string, ScriptedMessageBatch>();
  const messages: AnthropicBatchServer['messages'] = [];
  const state = { statusPolls: 0, createFailures: [...(options.failCreatesWith ?? [])] };
  const finishOnPoll = options.finishOnPoll ?? 2;
  let origin = '';

  function batchJson(batch: ScriptedMessageBatch) {
    const ended = batch.processing_status === 'ended';
    const counts = { processing: ended ? 0 : batch.requests.length, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
    for (const line of ended ? (batch.results ?? '').split('\n').filter(Boolean) : []) {
      const type = JSON.parse(line).result.type as 'succeeded' | 'errored' | 'canceled' | 'expired';
      counts[type] += 1;
    }
    return {
      id: batch.id,
      type: 'message_batch',
      processing_status: batch.processing_status,
      request_counts: counts,
      created_at: new Date(0).toISOString(),
      expires_at: new Date(86_400_000).toISOString(),
      ended_at: ended ? new Date(1000).toISOString() : null,
      results_url: ended ? `${origin}/v1/messages/batches/${batch.id}/results` : null,
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = (req.url ?? '').split('?')[0] ?? '';
    const raw = (await readBody(req)).toString('utf8');
    if (req.method === 'POST' && url === '/v1/messages') {
      const body = JSON.parse(raw);
      messages.push({ body, headers: req.headers });
      const reply = options.respondMessage?.(viewOf(body));
      if (!reply || !('json' in reply || 'text' in reply)) {
        return sendJson(res, 500, { type: 'error', error: { type: 'api_error', message: 'no synchronous call expected' } });
      }
      return sendJson(res, 200, messageFor(body, reply));
    }
    if (options.rejectKeys && url.startsWith('/v1/messages/batches')) {
      const message = `invalid x-api-key: ${String(req.headers['x-api-key'] ?? '')}`;
      return sendJson(res, 401, { type: 'error', error: { type: 'authentication_error', message } });
    }
    if (req.method === 'POST' && url === '/v1/messages/batches') {
      const body = JSON.parse(raw);
      batchCreates.push({ body, headers: req.headers });
      const failure = state.createFailures.shift();
      if (failure !== undefined)
        return sendJson(res, failure, { type: 'error', error: { type: 'overloaded_error', message: 'scripted failure' } });
      const requests: AnthropicBatchRequest[] = (body.requests ?? []).map((r: any) => ({ custom_id: r.custom_id, ...viewOf(r.params) }));
      if (requests.some((r) => !/^[a-zA-Z0-9_-]{1,64}$/.test(r.custom_id ?? ''))) {
        return sendJson(res, 400, { type: 'error', error: { type: 'invalid_request_error', message: 'bad custom_id' } });
      }
      const batch: ScriptedMessageBatch = {
        id: `msgbatch_${randomUUID().replace(/-/g, '')}`,
        requests,
        polls: 0,
        processing_status: 'in_progress',
      };
      batches.set(batch.id, batch);
      return sendJson(res, 200, batchJson(batch));
    }
    const results = url.match(/^\/v1\/messages\/batches\/([^/]+)\/results$/);
    if (req.method === 'GET' && results) {
      const batch = batches.get(results[1] ?? '');
      if (!batch || batch.results === undefined)
        return sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: 'no results' } });
      res.writeHead(200, { 'content-type': 'application/x-jsonl' });
      res.end(batch.results);
      return;
    }
    const one = url.match(/^\/v1\/messages\/batches\/([^/]+)$/);
    if (req.method === 'GET' && one) {
      const batch = batches.get(one[1] ?? '');
      if (!batch) return sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: 'no such batch' } });
      state.statusPolls += 1;
      batch.polls += 1;
      if (batch.polls >= finishOnPoll && batch.processing_status === 'in_progress') {
        const lines = batch.requests.map((r) => resultFor(r, options.respondLine(r))).filter((l): l is string => l !== undefined);
        batch.results = lines.length > 0 ? `${lines.join('\n')}\n` : '';
        batch.processing_status = 'ended';
      }
      return sendJson(res, 200, batchJson(batch));
    }
    sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: `no route ${req.method} ${url}` } });
  }

  const http = await serveOnLoopback(handle, (message) => ({
    type: 'error',
    error: { type: 'api_error', message: `anthropic batch server: ${message}` },
  }));
  origin = http.origin;
  return {
    baseUrl: `${origin}/v1`,
    batchCreates,
    batches,
    messages,
    get statusPolls() {
      return state.statusPolls;
    },
    close: () => http.close(),
  };
}
