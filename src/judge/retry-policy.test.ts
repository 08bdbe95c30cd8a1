import { APICallError } from 'ai';
import { describe, expect, it } from 'vitest';
import { backoffDelay, CallTimeoutError, classifyFailure, parseRetryAfter, redactSecrets } from './retry-policy.js';

function apiError(statusCode: number | undefined, headers: Record<string, string> = {}, isRetryable = false) {
  return new APICallError({
    message: 'boom',
    url: 'http://127.0.0.1/v1',
    requestBodyValues: {},
    statusCode,
    responseHeaders: headers,
    isRetryable,
  });
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

describe('redactSecrets', () => {
  it('removes the given key and key-shaped tokens', () => {
    expect(redactSecrets('bad key my-local-token-123', ['my-local-token-123'])).toBe('bad key [redacted]');
    expect(redactSecrets('Incorrect API key provided: sk-proj-abcdefghijklmnop', [])).toBe('Incorrect API key provided: [redacted]');
  });
});
