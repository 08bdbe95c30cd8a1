import { ErrormapError } from '../../errors.js';
import { redactSecrets } from '../retry-policy.js';
import type { BatchOutcome } from './batch-output.js';
import type { BatchTarget } from './batch-target.js';
import type { BatchLine } from './render-batch-line.js';

/** A provider batch job as the warmer sees it, whatever the provider calls its fields. */
export interface BatchJobStatus {
  id: string;
  /** The provider's status word (validating, in_progress, finalizing, completed, expired, …). */
  status: string;
  /** True once the provider will do no more work on it (completed, failed, expired, cancelled). */
  finished: boolean;
  total: number;
  completed: number;
  failed: number;
  outputFileId?: string;
  errorFileId?: string;
  /** Job-level errors (a rejected input file), joined. */
  error?: string;
}

/** The provider's batch API: upload-and-create, status, and file download. */
export interface BatchClient {
  submit(lines: readonly BatchLine[]): Promise<{ jobId: string; inputFileId: string }>;
  status(jobId: string): Promise<BatchJobStatus>;
  download(fileId: string): Promise<string>;
  /** Reads downloaded output into outcomes; default: the OpenAI output/error file format (`readBatchOutput`). */
  readOutput?(text: string): BatchOutcome[];
}

const FINISHED = new Set(['completed', 'failed', 'expired', 'cancelled']);

/** The JSONL `url` of each line and the batch `endpoint`: Azure's batch API names the path without /v1. */
export function chatEndpointOf(target: Pick<BatchTarget, 'provider'>): string {
  return target.provider === 'azure' ? '/chat/completions' : '/v1/chat/completions';
}

/** The batch input file: one `{custom_id, method, url, body}` line per request. */
export function toBatchJsonl(lines: readonly BatchLine[], endpoint: string): string {
  return `${lines.map((line) => JSON.stringify({ custom_id: line.key, method: 'POST', url: endpoint, body: line.body })).join('\n')}\n`;
}

/**
 * Rethrows any failure of a batch API call as a clean JUDGE_UNAVAILABLE error with the key removed:
 * providers quote the key in 401 bodies, and without a cause nothing else of the original is printed.
 */
export async function asJudgeUnavailable<T>(what: string, secrets: (string | undefined)[], work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    // Ours already: built clean and redacted where it was thrown.
    if (ErrormapError.isInstance(error) && error.code === 'JUDGE_UNAVAILABLE') throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new ErrormapError('JUDGE_UNAVAILABLE', redactSecrets(`${what}: ${message}`, secrets));
  }
}

/**
 * The OpenAI Files + Batches API through the `openai` package (loaded only here, in batch mode):
 * OpenAI, Azure OpenAI (v1 API) and any compatible server that implements it.
 */
export async function createOpenAIBatchClient(
  target: BatchTarget,
  options: { timeoutMs?: number; maxRetries?: number } = {},
): Promise<BatchClient> {
  const { default: OpenAI, toFile } = await import('openai');
  const azure = target.provider === 'azure';
  const azureBase = target.baseUrl ?? `https://${target.env.AZURE_RESOURCE_NAME}.openai.azure.com/openai`;
  const client = new OpenAI({
    // Local compatible servers often need no key, but the package insists on one.
    apiKey: target.apiKey ?? 'not-needed',
    baseURL: azure ? `${azureBase.replace(/\/+$/, '')}/v1` : target.baseUrl,
    ...(azure ? { defaultHeaders: { 'api-key': target.apiKey ?? '' }, defaultQuery: { 'api-version': 'v1' } } : {}),
    timeout: options.timeoutMs ?? 300_000,
    maxRetries: options.maxRetries ?? 4,
  });
  const endpoint = chatEndpointOf(target);
  const guard = <T>(method: string, work: () => Promise<T>) =>
    asJudgeUnavailable(`${target.provider} batch API ${method}`, [target.apiKey], work);
  return {
    submit: (lines) =>
      guard('submit', async () => {
        const file = await client.files.create({
          file: await toFile(Buffer.from(toBatchJsonl(lines, endpoint)), 'errormap-batch.jsonl'),
          purpose: 'batch',
        });
        const batch = await client.batches.create({
          input_file_id: file.id,
          endpoint: endpoint as '/v1/chat/completions',
          completion_window: '24h',
          metadata: { created_by: 'errormap' },
        });
        return { jobId: batch.id, inputFileId: file.id };
      }),
    status: (jobId) =>
      guard('status', async () => {
        const b = await client.batches.retrieve(jobId);
        const error = b.errors?.data
          ?.map((e) => [e.code, e.message, e.line !== undefined && e.line !== null ? `(line ${e.line})` : ''].filter(Boolean).join(' '))
          .join('; ');
        return {
          id: b.id,
          status: b.status,
          finished: FINISHED.has(b.status),
          total: b.request_counts?.total ?? 0,
          completed: b.request_counts?.completed ?? 0,
          failed: b.request_counts?.failed ?? 0,
          outputFileId: b.output_file_id ?? undefined,
          errorFileId: b.error_file_id ?? undefined,
          error: error || undefined,
        };
      }),
    download: (fileId) =>
      guard('download', async () => {
        const response = await client.files.content(fileId);
        return response.text();
      }),
  };
}
