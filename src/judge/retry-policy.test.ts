import { APICallError } from 'ai';
import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  CallTimeoutError,
  classifyFailure,
  parseRetryAfter,
  redactKnownSecrets,
  redactSecrets,
  urlWithoutSecrets,
} from './retry-policy.js';

function apiError(statusCode: number | undefined, headers: Record<string, string> = {}, isRetryable = false, cause?: unknown) {
  return new APICallError({
    message: 'boom',
    url: 'http://127.0.0.1/v1',
    requestBodyValues: {},
    statusCode,
    responseHeaders: headers,
    isRetryable,
    cause,
  });
}

/** A fetch failure as the AI SDK reports it: no status, the socket's error code in the cause. */
function networkError(code: string) {
  return apiError(undefined, {}, true, Object.assign(new Error(`connect ${code}`), { code }));
}

describe('parseRetryAfter', () => {
  it('reads delta seconds, an HTTP date and retry-after-ms', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter({ 'retry-after': '2' })).toBe(2000);
    expect(parseRetryAfter({ 'Retry-After': 'Thu, 01 Jan 2026 00:00:05 GMT' }, now)).toBe(5000);
    expect(parseRetryAfter({ 'retry-after-ms': '750', 'retry-after': '1' })).toBe(750);
  });

  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter({ 'retry-after': 'soon' })).toBeUndefined();
  });
});

describe('classifyFailure', () => {
  it('retries 429, 5xx, timeouts and connection errors but not 400 or 401', () => {
    expect(classifyFailure(apiError(429, { 'retry-after': '3' }))).toMatchObject({ retryable: true, retryAfterMs: 3000 });
    expect(classifyFailure(apiError(502)).retryable).toBe(true);
    expect(classifyFailure(new CallTimeoutError(5000)).retryable).toBe(true);
    expect(classifyFailure(apiError(undefined, {}, true)).retryable).toBe(true);
    expect(classifyFailure(apiError(400))).toMatchObject({ retryable: false, reason: 'HTTP 400: boom' });
    expect(classifyFailure(apiError(401)).retryable).toBe(false);
  });

  it('retries every 5xx from 500 up, even one the provider marks not retryable; a 4xx outside the list is not retried', () => {
    for (const status of [500, 503, 599]) {
      expect(classifyFailure(apiError(status, {}, false)), `HTTP ${status}`).toEqual({
        retryable: true,
        unavailable: false,
        status,
        reason: `HTTP ${status}: boom`,
        retryAfterMs: undefined,
        url: 'http://127.0.0.1/v1',
      });
    }
    for (const status of [408, 409, 425]) expect(classifyFailure(apiError(status)).retryable, `HTTP ${status}`).toBe(true);
    for (const status of [499, 422, 410]) expect(classifyFailure(apiError(status)).retryable, `HTTP ${status}`).toBe(false);
    // the provider's own judgement still counts for a status outside both lists
    expect(classifyFailure(apiError(499, {}, true)).retryable).toBe(true);
  });

  it('calls the judge unavailable, not worth a retry, for a rejected key, an unknown model and an unreachable server', () => {
    for (const status of [401, 403, 404])
      expect(classifyFailure(apiError(status, {}, true))).toMatchObject({ retryable: false, unavailable: true, status });
    for (const code of [
      'ECONNREFUSED',
      'ENOTFOUND',
      'EAI_AGAIN',
      'ERR_SSL_WRONG_VERSION_NUMBER',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'CERT_HAS_EXPIRED',
    ]) {
      expect(classifyFailure(networkError(code)), code).toMatchObject({ retryable: false, unavailable: true });
    }
    // A dropped connection, a 500 or a 429 may pass: retried, and the run goes on.
    expect(classifyFailure(networkError('ECONNRESET'))).toMatchObject({ retryable: true, unavailable: false });
    expect(classifyFailure(apiError(500))).toMatchObject({ retryable: true, unavailable: false });
    expect(classifyFailure(apiError(400))).toMatchObject({ retryable: false, unavailable: false });
  });
});

describe('urlWithoutSecrets', () => {
  it('drops user, password and query, which may carry a key', () => {
    expect(urlWithoutSecrets('https://user:pw@api.example/v1/chat?key=abc#x')).toBe('https://api.example/v1/chat');
    expect(urlWithoutSecrets('not a url')).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('grows exponentially with jitter and is capped', () => {
    expect(backoffDelay(0, () => 0)).toBe(500);
    expect(backoffDelay(0, () => 1)).toBe(1000);
    expect(backoffDelay(3, () => 1)).toBe(8000);
    expect(backoffDelay(20, () => 1)).toBe(30_000);
  });

  it('never waits less than Retry-After', () => {
    for (const r of [0, 0.5, 1]) expect(backoffDelay(0, () => r, 2000)).toBeGreaterThanOrEqual(2000);
  });
});

describe('redactKnownSecrets', () => {
  const key = 'my-local-token-1234567890';
  it('removes the key as is, URL-encoded, and in base64 or base64url wherever it starts inside a longer text', () => {
    for (const prefix of ['', 'u:', 'us:', 'use:']) {
      for (const encoding of ['base64', 'base64url'] as const) {
        const encoded = Buffer.from(`${prefix}${key}`).toString(encoding);
        const out = redactKnownSecrets(`Authorization: Basic ${encoded}`, [key]);
        expect(out, `${encoding} after "${prefix}"`).toMatch(/\[redacted\]/);
        // What is left holds the prefix and the edge characters shared with it: no run of the key.
        expect(out.replace('Authorization: Basic ', '').replace('[redacted]', '').length).toBeLessThanOrEqual(10);
      }
    }
    expect(redactKnownSecrets(`?token=${encodeURIComponent('a/b+c=d&e-long-key')}`, ['a/b+c=d&e-long-key'])).toBe('?token=[redacted]');
    expect(redactKnownSecrets(`plain ${key}`, [key])).toBe('plain [redacted]');
  });
});

describe('redactSecrets', () => {
  it('removes the given key and key-shaped tokens', () => {
    expect(redactSecrets('bad key my-local-token-123', ['my-local-token-123'])).toBe('bad key [redacted]');
    expect(redactSecrets('Incorrect API key provided: sk-proj-abcdefghijklmnop', [])).toBe('Incorrect API key provided: [redacted]');
  });
});
