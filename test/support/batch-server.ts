import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type JudgeServer, type ScriptedReply, type ScriptedRequest, startJudgeServer } from './judge-server.js';

/**
 * A scripted OpenAI Files + Batches server on 127.0.0.1 for tests. It answers /v1/files and
 * /v1/batches itself and forwards /v1/chat/completions to a scripted judge server (judge-server.ts),
 * so one base URL serves both batch mode and the synchronous judge, and each side's traffic is counted.
 */
export type BatchLineReply =
  | { json: unknown; usage?: { prompt_tokens: number; completion_tokens: number } }
  | { text: string }
  /** Goes to the error file with this HTTP status. */
  | { status: number; message?: string }
  /** Never comes back (neither output nor error file). */
  | { omit: true };

export interface BatchInputLine {
  custom_id: string;
  method: string;
  url: string;
  body: any;
  /** The response_format json_schema name. */
  task: string;
  system: string;
  user: string;
}

export interface ScriptedBatch {
  id: string;
  input_file_id: string;
  endpoint: string;
  completion_window: string;
  polls: number;
  status: string;
  output_file_id?: string;
  error_file_id?: string;
}

export interface BatchServer {
  /** http://127.0.0.1:PORT/v1 */
  baseUrl: string;
  /** The chat side: every synchronous request lands here. */
  chat: JudgeServer;
  /** Parsed lines of every uploaded batch input file, per upload. */
  uploads: { fileId: string; purpose: string; filename: string; lines: BatchInputLine[] }[];
  /** Bodies of POST /v1/batches. */
  batchCreates: any[];
  batches: Map<string, ScriptedBatch>;
  /** Count of GET /v1/batches/{id}. */
  statusPolls: number;
  close(): Promise<void>;
}

export interface BatchServerOptions {
  /** Answers one batch line. */
  respondLine: (line: BatchInputLine) => BatchLineReply;
  /** Answers synchronous chat requests (default: HTTP 500, so a test notices an unexpected call). */
  respondChat?: (req: ScriptedRequest) => ScriptedReply | Promise<ScriptedReply>;
  /** A batch finishes on this status poll (default 2: one in_progress answer, then done). */
  finishOnPoll?: number;
  /** The final status (default completed; expired/cancelled keep partial output). */
  finalStatus?: 'completed' | 'expired' | 'cancelled' | 'failed';
  /** Answer every files/batches request with a 401 that quotes the bearer key back, as OpenAI does. */
  rejectKeys?: boolean;
}

// HTTP plumbing shared with anthropic-batch-server.ts.

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

/** The text of a message's content: a string, or the text parts of an array. */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join('');
  return '';
}

/**
 * Serves `handle` on a free port of 127.0.0.1; a handler that throws is answered with HTTP 500 and
 * the body `errorBody` makes of its message.
 */
export async function serveOnLoopback(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  errorBody: (message: string) => unknown,
): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    handle(req, res).catch((e: Error) => {
      if (!res.headersSent) sendJson(res, 500, errorBody(e.message));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

function toInputLine(raw: string): BatchInputLine {
  const line = JSON.parse(raw);
  const messages: any[] = line.body?.messages ?? [];
  return {
    ...line,
    task: String(line.body?.response_format?.json_schema?.name ?? 'unknown'),
    system: messages
      .filter((m) => m.role === 'system' || m.role === 'developer')
      .map((m) => textOf(m.content))
      .join('\n\n'),
    user: textOf(messages.find((m) => m.role === 'user')?.content),
  };
}

export async function startBatchServer(options: BatchServerOptions): Promise<BatchServer> {
  const chat = await startJudgeServer({
    respond: options.respondChat ?? (() => ({ status: 500, body: '{"error":{"message":"no chat expected"}}' })),
  });
  const files = new Map<string, { purpose: string; filename: string; content: string }>();
  const uploads: BatchServer['uploads'] = [];
  const batchCreates: any[] = [];
  const batches = new Map<string, ScriptedBatch>();
  const state = { statusPolls: 0 };
  const finishOnPoll = options.finishOnPoll ?? 2;

  function addFile(purpose: string, filename: string, content: string): string {
    const id = `file-${randomUUID()}`;
    files.set(id, { purpose, filename, content });
    return id;
  }

  function finish(batch: ScriptedBatch): void {
    const input = files.get(batch.input_file_id)?.content ?? '';
    const output: string[] = [];
    const errors: string[] = [];
    for (const raw of input.split('\n').filter((l) => l.trim())) {
      const line = toInputLine(raw);
      const reply = options.respondLine(line);
      const id = `batch_req_${randomUUID()}`;
      if ('omit' in reply) continue;
      if ('status' in reply) {
        const body = { error: { message: reply.message ?? `scripted error ${reply.status}`, type: 'scripted_error' } };
        errors.push(
          JSON.stringify({ id, custom_id: line.custom_id, response: { status_code: reply.status, request_id: id, body }, error: null }),
        );
        continue;
      }
      const content = 'json' in reply ? JSON.stringify(reply.json) : reply.text;
      const usage = ('json' in reply && reply.usage) || { prompt_tokens: 100, completion_tokens: 20 };
      const body = {
        id: `chatcmpl-${id}`,
        object: 'chat.completion',
        created: 0,
        model: line.body?.model,
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
      };
      output.push(JSON.stringify({ id, custom_id: line.custom_id, response: { status_code: 200, request_id: id, body }, error: null }));
    }
    batch.status = options.finalStatus ?? 'completed';
    if (output.length > 0 && batch.status !== 'failed')
      batch.output_file_id = addFile('batch_output', 'output.jsonl', `${output.join('\n')}\n`);
    if (errors.length > 0 && batch.status !== 'failed')
      batch.error_file_id = addFile('batch_output', 'errors.jsonl', `${errors.join('\n')}\n`);
  }

  function batchJson(batch: ScriptedBatch) {
    const total = (files.get(batch.input_file_id)?.content ?? '').split('\n').filter((l) => l.trim()).length;
    const done = !['validating', 'in_progress'].includes(batch.status);
    return {
      object: 'batch',
      created_at: 0,
      ...batch,
      polls: undefined,
      errors:
        batch.status === 'failed'
          ? { object: 'list', data: [{ code: 'invalid_file', message: 'scripted rejection', line: 1 }] }
          : undefined,
      request_counts: { total, completed: done ? total : 0, failed: 0 },
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = (req.url ?? '').split('?')[0] ?? '';
    const body = await readBody(req);
    if (req.method === 'POST' && url === '/v1/chat/completions') {
      const forwarded = await fetch(`${chat.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: body.toString('utf8'),
      });
      res.writeHead(forwarded.status, { 'content-type': forwarded.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await forwarded.arrayBuffer()));
      return;
    }
    if (options.rejectKeys) {
      const key = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
      const error = { message: `Incorrect API key provided: ${key}.`, type: 'invalid_request_error', code: 'invalid_api_key' };
      return sendJson(res, 401, { error });
    }
    if (req.method === 'POST' && url === '/v1/files') {
      // Let the platform parse the multipart form the way a real server would.
      const form = await new Request('http://local/', {
        method: 'POST',
        headers: { 'content-type': String(req.headers['content-type']) },
        body: new Uint8Array(body),
      }).formData();
      const file = form.get('file');
      const purpose = String(form.get('purpose'));
      if (!(file instanceof Blob)) return sendJson(res, 400, { error: { message: 'no file' } });
      const content = await file.text();
      const filename = (file as File).name ?? 'upload';
      const fileId = addFile(purpose, filename, content);
      uploads.push({
        fileId,
        purpose,
        filename,
        lines: content
          .split('\n')
          .filter((l) => l.trim())
          .map(toInputLine),
      });
      return sendJson(res, 200, {
        id: fileId,
        object: 'file',
        bytes: content.length,
        created_at: 0,
        filename,
        purpose,
        status: 'processed',
      });
    }
    const content = url.match(/^\/v1\/files\/([^/]+)\/content$/);
    if (req.method === 'GET' && content) {
      const file = files.get(content[1] ?? '');
      if (!file) return sendJson(res, 404, { error: { message: 'no such file' } });
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(file.content);
      return;
    }
    if (req.method === 'POST' && url === '/v1/batches') {
      const created = JSON.parse(body.toString('utf8'));
      batchCreates.push(created);
      if (!files.has(created.input_file_id)) return sendJson(res, 400, { error: { message: 'unknown input_file_id' } });
      const batch: ScriptedBatch = {
        id: `batch_${randomUUID()}`,
        input_file_id: created.input_file_id,
        endpoint: created.endpoint,
        completion_window: created.completion_window,
        polls: 0,
        status: 'validating',
      };
      batches.set(batch.id, batch);
      return sendJson(res, 200, batchJson(batch));
    }
    const one = url.match(/^\/v1\/batches\/([^/]+)$/);
    if (req.method === 'GET' && one) {
      const batch = batches.get(one[1] ?? '');
      if (!batch) return sendJson(res, 404, { error: { message: 'no such batch' } });
      state.statusPolls += 1;
      batch.polls += 1;
      if (batch.polls >= finishOnPoll && ['validating', 'in_progress'].includes(batch.status)) finish(batch);
      else if (batch.status === 'validating') batch.status = 'in_progress';
      return sendJson(res, 200, batchJson(batch));
    }
    sendJson(res, 404, { error: { message: `no route ${req.method} ${url}` } });
  }

  const http = await serveOnLoopback(handle, (message) => ({ error: { message: `batch server: ${message}` } }));
  return {
    baseUrl: `${http.origin}/v1`,
    chat,
    uploads,
    batchCreates,
    batches,
    get statusPolls() {
      return state.statusPolls;
    },
    async close() {
      await http.close();
      await chat.close();
    },
  };
}
