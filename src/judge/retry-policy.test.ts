import { APICallError } from 'ai';
import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  CallTimeoutError,
  classifyFailure,
  parseRetryAfter,
  redactKnownSecrets,
  redactSecrets,
  secretForms,
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
    expect(parseRetryAfter({})).toBeUndefined();
  });

  it('reads whole or decimal numbers only, with spaces around them, in either header', () => {
    expect(parseRetryAfter({ 'Retry-After': ' 10 ' })).toBe(10_000);
    expect(parseRetryAfter({ 'retry-after': '2.25' })).toBe(2250);
    expect(parseRetryAfter({ 'retry-after-ms': '12.75' })).toBe(12.75);
    expect(parseRetryAfter({ 'Retry-After-Ms': '1500' })).toBe(1500);
    for (const bad of ['12abc', 'x12', '1.x']) {
      expect(parseRetryAfter({ 'retry-after': bad }), bad).toBeUndefined();
      // an unreadable retry-after-ms falls back to retry-after
      expect(parseRetryAfter({ 'retry-after-ms': bad, 'retry-after': '1' }), bad).toBe(1000);
    }
  });
});

describe('CallTimeoutError', () => {
  it('says how long it waited, in ms below a second and in whole seconds above', () => {
    expect(new CallTimeoutError(500).message).toBe('no answer within 500 ms');
    expect(new CallTimeoutError(999).message).toBe('no answer within 999 ms');
    expect(new CallTimeoutError(1000).message).toBe('no answer within 1 s');
    expect(new CallTimeoutError(90_400).message).toBe('no answer within 90 s');
    expect(new CallTimeoutError(1).name).toBe('CallTimeoutError');
  });
});

describe('classifyFailure', () => {
  it('retries our own timeout and a fetch timeout; any other error is given up, with its message', () => {
    expect(classifyFailure(new CallTimeoutError(5000))).toEqual({
      retryable: true,
      unavailable: false,
      reason: 'timeout: no answer within 5 s',
    });
    const fetchTimeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    expect(classifyFailure(fetchTimeout)).toEqual({
      retryable: true,
      unavailable: false,
      reason: 'timeout: The operation was aborted due to timeout',
    });
    expect(classifyFailure(Object.assign(new Error(''), { name: 'TimeoutError', message: undefined }))).toEqual({
      retryable: true,
      unavailable: false,
      reason: 'timeout: ',
    });
    expect(classifyFailure(new Error('disk full'))).toEqual({ retryable: false, unavailable: false, reason: 'disk full' });
    expect(classifyFailure('plain text')).toEqual({ retryable: false, unavailable: false, reason: 'plain text' });
  });

  it('puts a long or multi-line message on one line of at most 300 characters', () => {
    const multiLine = new APICallError({ message: 'upstream\n   failed\tbadly ', url: 'u', requestBodyValues: {}, statusCode: 400 });
    expect(classifyFailure(multiLine).reason).toBe('HTTP 400: upstream failed badly');
    const long = (n: number) => classifyFailure(new Error('x'.repeat(n))).reason;
    expect(long(300)).toBe('x'.repeat(300));
    expect(long(301)).toBe(`${'x'.repeat(300)}…`);
  });

  it('tells a connection that may come back from a server that cannot be reached, reading codes through wrapped causes', () => {
    expect(classifyFailure(networkError('ECONNRESET'))).toEqual({
      retryable: true,
      unavailable: false,
      reason: 'connection error: boom',
      retryAfterMs: undefined,
      url: 'http://127.0.0.1/v1',
    });
    // fetch wraps the socket's error: "fetch failed" → cause with the code
    const wrapped = new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });
    expect(classifyFailure(apiError(undefined, {}, true, wrapped))).toMatchObject({ retryable: false, unavailable: true });
    // a code five causes deep is past the search; a cause chain that loops ends the search too
    let deep: { cause?: unknown; code?: string } = { code: 'ECONNREFUSED' };
    for (let i = 0; i < 5; i++) deep = { cause: deep };
    expect(classifyFailure(apiError(undefined, {}, true, deep))).toMatchObject({ retryable: true, unavailable: false });
    const loop: { cause?: unknown } = {};
    loop.cause = loop;
    expect(classifyFailure(apiError(undefined, {}, true, loop))).toMatchObject({ retryable: true, unavailable: false });
    // no status and not retryable by the provider's judgement: given up, not unavailable
    expect(classifyFailure(apiError(undefined, {}, false))).toMatchObject({ retryable: false, unavailable: false });
    const badPort = new APICallError({ message: 'fetch failed: bad port', url: 'http://h:1/v1', requestBodyValues: {}, isRetryable: true });
    expect(classifyFailure(badPort)).toMatchObject({
      retryable: false,
      unavailable: true,
      reason: 'connection error: fetch failed: bad port',
    });
  });

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
    expect(urlWithoutSecrets(undefined)).toBeUndefined();
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

describe('secretForms', () => {
  it('leaves in a base64 text only the characters that carry other bytes: at most one edge character on each side', () => {
    for (const key of ['my-local-token-1', 'my-local-token-12', 'my-local-token-123']) {
      for (const prefix of ['', 'u', 'us']) {
        for (const suffix of ['', ':', ':x', ':xy']) {
          for (const encoding of ['base64', 'base64url'] as const) {
            const text = Buffer.from(`${prefix}${key}${suffix}`).toString(encoding);
            const out = redactKnownSecrets(text, [key]);
            const at = `${key.length} bytes after "${prefix}", before "${suffix}", ${encoding}`;
            // characters before the key's first whole character: the prefix's, kept as they are
            const head = Math.ceil((4 * prefix.length) / 3);
            expect(out.slice(0, head + 10), at).toBe(`${text.slice(0, head)}[redacted]`);
            // after it: the suffix's characters (with padding), from the key's last partial character on
            const rest = out.slice(head + 10);
            expect(text.endsWith(rest), at).toBe(true);
            expect(rest.length, at).toBeLessThanOrEqual(text.length - Math.floor((4 * (prefix.length + key.length)) / 3));
          }
        }
      }
    }
  });

  it('lists distinct forms of four characters or more, longest first', () => {
    for (const key of ['abcd', 'abcde', 'a b/c+d?=', 'my-local-token-12']) {
      const forms = secretForms(key);
      expect(new Set(forms).size, key).toBe(forms.length);
      expect(
        forms.every((f) => f.length >= 4),
        key,
      ).toBe(true);
      expect(
        forms.map((f) => f.length),
        key,
      ).toEqual(forms.map((f) => f.length).sort((a, b) => b - a));
    }
    expect(secretForms('abcd')).toContain('abcd');
    expect(secretForms('a b/c+d?=')).toContain('a%20b%2Fc%2Bd%3F%3D');
    expect(redactKnownSecrets(Buffer.from('abcd').toString('base64'), ['abcd'])).toBe('[redacted]');
  });

  it('redacts keys of four characters or more, and leaves shorter ones and empty entries alone', () => {
    expect(redactKnownSecrets('pin abcd', ['abcd'])).toBe('pin [redacted]');
    expect(redactKnownSecrets('pin abc', ['abc', undefined, ''])).toBe('pin abc');
  });
});

describe('redactSecrets', () => {
  it('removes the given key and key-shaped tokens', () => {
    expect(redactSecrets('bad key my-local-token-123', ['my-local-token-123'])).toBe('bad key [redacted]');
    expect(redactSecrets('Incorrect API key provided: sk-proj-abcdefghijklmnop', [])).toBe('Incorrect API key provided: [redacted]');
  });
});
