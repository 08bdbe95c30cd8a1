import { z } from 'zod';
import { ErrormapError } from '../../errors.js';
import { backoffDelay, parseRetryAfter, redactSecrets } from '../retry-policy.js';
import { readAnthropicBatchResults } from './anthropic-batch-output.js';
import { asJudgeUnavailable, type BatchClient, type BatchJobStatus } from './batch-client.js';
import type { BatchTarget } from './batch-target.js';
import type { BatchLine } from './render-batch-line.js';

/** The header value the AI SDK's anthropic provider sends (and that message batches accept). */
const ANTHROPIC_VERSION = '2023-06-01';
/** The AI SDK's default base URL: the batch goes where the synchronous judge would. */
const DEFAULT_BASE_URL = 'https://api.anthropic.com/v1';
/** Anthropic's custom_id rule; the judge's call keys (sha256 hex, 64 characters) fit it. */
const CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;

// Only the fields we read.
const batchSchema = z.object({
  id: z.string(),
  processing_status: z.string(),
  request_counts: z
    .object({
      processing: z.number().optional(),
      succeeded: z.number().optional(),
      errored: z.number().optional(),
      canceled: z.number().optional(),
      expired: z.number().optional(),
    })
    .optional(),
  results_url: z.string().nullish(),
});

const errorBodySchema = z.object({ error: z.object({ type: z.string().optional(), message: z.string().optional() }) });

/** The `requests` array of POST /v1/messages/batches: each params is the captured Messages API body. */
export function toAnthropicBatchRequests(lines: readonly BatchLine[]): { custom_id: string; params: Record<string, unknown> }[] {
  return lines.map((line) => {
    if (!CUSTOM_ID.test(line.key)) throw new Error(`call key "${line.key}" is not a valid Anthropic custom_id`);
    return { custom_id: line.key, params: line.body };
  });
}

/** The beta features the captured requests asked for, as one `anthropic-beta` header value. */
function betaHeaderOf(lines: readonly BatchLine[]): string | undefined {
  const betas = new Set(lines.flatMap((l) => (l.headers?.['anthropic-beta'] ?? '').split(',').map((b) => b.trim())).filter(Boolean));
  return betas.size > 0 ? [...betas].sort().join(',') : undefined;
}

export function toBatchJobStatus(batch: z.infer<typeof batchSchema>): BatchJobStatus {
  const counts = batch.request_counts ?? {};
  const succeeded = counts.succeeded ?? 0;
  const failed = (counts.errored ?? 0) + (counts.canceled ?? 0) + (counts.expired ?? 0);
  return {
    id: batch.id,
    status: batch.processing_status,
    finished: batch.processing_status === 'ended',
    total: (counts.processing ?? 0) + succeeded + failed,
    completed: succeeded,
    failed,
    // The results are a URL rather than a file; `download` takes it as the file id.
    outputFileId: batch.processing_status === 'ended' ? (batch.results_url ?? undefined) : undefined,
  };
}

/**
 * Anthropic's Message Batches API over plain fetch (three endpoints; no extra package). Retries 408,
 * 409, 429, 5xx and connection errors with backoff, honouring Retry-After.
 */
export function createAnthropicBatchClient(
  target: Pick<BatchTarget, 'baseUrl' | 'apiKey'>,
  options: { timeoutMs?: number; maxRetries?: number; sleep?: (ms: number) => Promise<void>; fetch?: typeof globalThis.fetch } = {},
): BatchClient {
  // The AI SDK reads ANTHROPIC_BASE_URL from the process environment when no base URL is given.
  const baseUrl = (target.baseUrl ?? process.env.ANTHROPIC_BASE_URL ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  const fetchFn = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxRetries = Math.max(0, options.maxRetries ?? 4);
  const timeoutMs = options.timeoutMs ?? 300_000;

  async function send(method: 'GET' | 'POST', url: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<Response> {
    const headers: Record<string, string> = { 'anthropic-version': ANTHROPIC_VERSION, ...extraHeaders };
    if (target.apiKey) headers['x-api-key'] = target.apiKey;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let problem = '';
    for (let retry = 0; ; retry++) {
      let response: Response | undefined;
      try {
        response = await fetchFn(url, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (response.ok) return response;
        const text = await response.text();
        const parsed = errorBodySchema.safeParse(safeJson(text));
        const detail = parsed.success ? [parsed.data.error.type, parsed.data.error.message].filter(Boolean).join(': ') : text.slice(0, 300);
        problem = `HTTP ${response.status}${detail ? `: ${detail}` : ''}`;
        const retryable = [408, 409, 429].includes(response.status) || response.status >= 500;
        if (!retryable) break;
      } catch (error) {
        problem = `connection error: ${(error as Error).message}`;
      }
      if (retry >= maxRetries) break;
      const retryAfter = response ? parseRetryAfter({ 'retry-after': response.headers.get('retry-after') ?? '' }) : undefined;
      await sleep(backoffDelay(retry, Math.random, retryAfter));
    }
    throw new ErrormapError(
      'JUDGE_UNAVAILABLE',
      redactSecrets(`Anthropic batch API ${method} ${new URL(url).pathname}: ${problem}`, [target.apiKey]),
    );
  }

  async function readBatch(response: Response): Promise<BatchJobStatus> {
    const batch = batchSchema.safeParse(await response.json());
    if (!batch.success) throw new Error('the answer is not a message batch');
    return toBatchJobStatus(batch.data);
  }

  const guard = <T>(method: string, work: () => Promise<T>) => asJudgeUnavailable(`Anthropic batch API ${method}`, [target.apiKey], work);
  return {
    submit: (lines) =>
      guard('submit', async () => {
        const beta = betaHeaderOf(lines);
        const response = await send(
          'POST',
          `${baseUrl}/messages/batches`,
          { requests: toAnthropicBatchRequests(lines) },
          beta ? { 'anthropic-beta': beta } : {},
        );
        const { id } = await readBatch(response);
        // Message batches take the requests inline: there is no input file.
        return { jobId: id, inputFileId: '' };
      }),
    status: (jobId) =>
      guard('status', async () => readBatch(await send('GET', `${baseUrl}/messages/batches/${encodeURIComponent(jobId)}`))),
    download: (resultsUrl) => guard('download', async () => (await send('GET', resultsUrl)).text()),
    readOutput: readAnthropicBatchResults,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
