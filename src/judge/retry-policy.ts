import { APICallError } from '@ai-sdk/provider';

/** How one failed request should be handled. */
export interface FailureVerdict {
  retryable: boolean;
  /**
   * No retry can fix it and every other call would fail the same way: the key is rejected (401, 403),
   * the model or endpoint does not exist (404), or the server cannot be reached (connection refused,
   * unknown host, TLS). The run stops at once instead of sending its other calls.
   */
  unavailable: boolean;
  /** HTTP status, when the server answered. */
  status?: number;
  /** The URL called, without credentials or query. */
  url?: string;
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
    // Stryker disable next-line OptionalChaining: a found header always has a value; `?.` before it already ends the chain
    Object.entries(headers)
      .find(([k]) => k.toLowerCase() === name)?.[1]
      ?.trim();
  const ms = get('retry-after-ms');
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Number(ms);
  const value = get('retry-after');
  // Stryker disable next-line ConditionalExpression: without it the same undefined comes from Date.parse(undefined)
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
const UNAVAILABLE_STATUS = new Set([401, 403, 404]);
/** Network failures that repeat on every try: nothing listens, the host has no address, TLS cannot be agreed. */
const UNREACHABLE_CODE =
  /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)/;

/** The first `code` along an error's cause chain (fetch wraps the socket's error). */
function causeCode(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
}

/** The URL without user, password or query string, which may carry a key. */
export function urlWithoutSecrets(url: string | undefined): string | undefined {
  // Stryker disable next-line ConditionalExpression: new URL of an empty value throws, which also gives undefined
  if (!url) return undefined;
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.toString();
  } catch {
    return undefined;
  }
}

/** Classifies an error thrown by one request: retry (429, 5xx, timeouts, dropped connections), give up on this call, or stop the run. */
export function classifyFailure(error: unknown): FailureVerdict {
  if (error instanceof CallTimeoutError) return { retryable: true, unavailable: false, reason: `timeout: ${error.message}` };
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    const retryAfterMs = parseRetryAfter(error.responseHeaders);
    const url = urlWithoutSecrets(error.url);
    if (status === undefined) {
      const code = causeCode(error.cause);
      // undici refuses some ports outright ("bad port"); that too repeats on every try.
      // Stryker disable next-line ConditionalExpression: the pattern does not match "undefined" either
      const unreachable = (code !== undefined && UNREACHABLE_CODE.test(code)) || /\bbad port\b/.test(error.message);
      const reason = `connection error: ${shorten(error.message)}`;
      return { retryable: !unreachable && error.isRetryable, unavailable: unreachable, reason, retryAfterMs, url };
    }
    const unavailable = UNAVAILABLE_STATUS.has(status);
    const retryable = !unavailable && (RETRYABLE_STATUS.has(status) || status >= 500 || error.isRetryable);
    return { retryable, unavailable, status, reason: `HTTP ${status}: ${shorten(error.message)}`, retryAfterMs, url };
  }
  const e = error as { name?: string; message?: string } | undefined;
  if (e?.name === 'TimeoutError') return { retryable: true, unavailable: false, reason: `timeout: ${shorten(e.message ?? '')}` };
  return { retryable: false, unavailable: false, reason: shorten(e?.message ?? String(error)) };
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

/**
 * The forms a key takes when a server echoes it: as is, URL-encoded, and base64 or base64url (Basic
 * auth headers, tokens). Inside a longer base64 text the key's characters depend on where it starts,
 * so the base64 forms are given for each of the three alignments, without the edge characters that
 * also hold neighbouring bytes.
 */
export function secretForms(secret: string): string[] {
  // Stryker disable next-line StringLiteral: an empty encoding name means utf8 too
  const bytes = Buffer.from(secret, 'utf8');
  const forms = [secret, encodeURIComponent(secret), bytes.toString('base64'), bytes.toString('base64url')];
  for (const encoding of ['base64', 'base64url'] as const) {
    for (const shift of [0, 1, 2]) {
      const text = Buffer.concat([Buffer.alloc(shift), bytes])
        .toString(encoding)
        .replace(/=+$/, '');
      const head = [0, 2, 3][shift];
      const tail = (shift + bytes.length) % 3 === 0 ? 0 : 1;
      forms.push(text.slice(head, text.length - tail));
    }
  }
  // Longest first, so a form that contains another is removed whole.
  return [...new Set(forms)].filter((f) => f.length >= 4).sort((a, b) => b.length - a.length);
}

/** Removes the given keys, in every form of secretForms, from text. */
export function redactKnownSecrets(text: string, secrets: (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    for (const form of secretForms(secret)) out = out.split(form).join('[redacted]');
  }
  return out;
}

/** Removes a key from text that may quote it (some providers echo the key in 401 messages), and key-shaped tokens. */
export function redactSecrets(text: string, secrets: (string | undefined)[]): string {
  // Key-shaped tokens we were not told about, e.g. a partially echoed key.
  return redactKnownSecrets(text, secrets).replace(/\b(sk|key|AIza)[-_A-Za-z0-9]{12,}/g, '[redacted]');
}
