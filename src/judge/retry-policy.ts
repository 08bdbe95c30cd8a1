import { APICallError } from 'ai';

/** How one failed request should be handled. */
export interface FailureVerdict {
  retryable: boolean;
  /** Readable reason: HTTP status and message, or the kind of network failure. Never holds a key. */
  reason: string;
  /** The server's Retry-After, in ms, when it sent one. */
  retryAfterMs?: number;
}

/** Thrown by our own per-call timer, so a timeout can be told from other aborts. */
export class CallTimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`}`);
    this.name = 'CallTimeoutError';
  }
}

/** Parses Retry-After (delta seconds or an HTTP date) and OpenAI's retry-after-ms; undefined when absent or unreadable. */
export function parseRetryAfter(headers: Record<string, string> | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const get = (name: string) =>
    Object.entries(headers)
      .find(([k]) => k.toLowerCase() === name)?.[1]
      ?.trim();
  const ms = get('retry-after-ms');
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Number(ms);
  const value = get('retry-after');
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function shorten(text: string, max = 300): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}

const RETRYABLE_STATUS = new Set([408, 409, 425, 429]);

/** Classifies an error thrown by one request: retry (429, 5xx, timeouts, connection errors) or give up. */
export function classifyFailure(error: unknown): FailureVerdict {
  if (error instanceof CallTimeoutError) return { retryable: true, reason: `timeout: ${error.message}` };
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    const retryAfterMs = parseRetryAfter(error.responseHeaders);
    if (status === undefined) {
      return { retryable: error.isRetryable, reason: `connection error: ${shorten(error.message)}`, retryAfterMs };
    }
    const retryable = RETRYABLE_STATUS.has(status) || status >= 500 || error.isRetryable;
    return { retryable, reason: `HTTP ${status}: ${shorten(error.message)}`, retryAfterMs };
  }
  const e = error as { name?: string; message?: string } | undefined;
  if (e?.name === 'TimeoutError') return { retryable: true, reason: `timeout: ${shorten(e.message ?? '')}` };
  return { retryable: false, reason: shorten(e?.message ?? String(error)) };
}

export interface BackoffSettings {
  baseMs: number;
  maxMs: number;
  /** Longest Retry-After we agree to wait. */
  maxRetryAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffSettings = { baseMs: 1000, maxMs: 30_000, maxRetryAfterMs: 300_000 };

/**
 * Delay before retry number `retry` (0-based): exponential backoff with jitter in [50 %, 100 %], never
 * shorter than the server's Retry-After. `random` only spreads timing; it never changes a result.
 */
export function backoffDelay(retry: number, random: () => number, retryAfterMs?: number, settings = DEFAULT_BACKOFF): number {
  const exponential = Math.min(settings.maxMs, settings.baseMs * 2 ** retry);
  const jittered = exponential * (0.5 + 0.5 * random());
  if (retryAfterMs === undefined) return Math.round(jittered);
  // Honour the server's wait, plus a little jitter so parallel calls do not return in one burst.
  return Math.round(Math.min(retryAfterMs, settings.maxRetryAfterMs) + jittered * 0.1);
}

/** Removes a key from text that may quote it (some providers echo the key in 401 messages). */
export function redactSecrets(text: string, secrets: (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  // Key-shaped tokens we were not told about, e.g. a partially echoed key.
  return out.replace(/\b(sk|key|AIza)[-_A-Za-z0-9]{12,}/g, '[redacted]');
}
