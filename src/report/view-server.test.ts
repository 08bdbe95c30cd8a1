import { describe, expect, it } from 'vitest';
import { hostAllowed } from './view-server.js';

describe('viewer Host check (DNS rebinding)', () => {
  it('accepts the loopback names and addresses with the bound port', () => {
    for (const host of ['localhost:8080', '127.0.0.1:8080', '[::1]:8080', 'LOCALHOST:8080']) {
      expect(hostAllowed(host, '127.0.0.1', 8080)).toBe(true);
    }
  });

  it('refuses another name, another port, or no Host at all', () => {
    expect(hostAllowed('evil.example:8080', '127.0.0.1', 8080)).toBe(false);
    expect(hostAllowed('evil.example', '127.0.0.1', 80)).toBe(false);
    expect(hostAllowed('localhost.evil.example:8080', '127.0.0.1', 8080)).toBe(false);
    expect(hostAllowed('localhost:8081', '127.0.0.1', 8080)).toBe(false);
    expect(hostAllowed(undefined, '127.0.0.1', 8080)).toBe(false);
    expect(hostAllowed('', '127.0.0.1', 8080)).toBe(false);
  });

  it('accepts the name the server was deliberately bound to with --host', () => {
    expect(hostAllowed('my-box.lan:9000', 'my-box.lan', 9000)).toBe(true);
    expect(hostAllowed('other-box.lan:9000', 'my-box.lan', 9000)).toBe(false);
  });
});
