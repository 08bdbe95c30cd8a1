import { describe, expect, it } from 'vitest';
import { cacheablePrefixTokens } from './estimate-cost.js';

describe('cacheablePrefixTokens', () => {
  it('counts a shared prefix from 1,024 tokens on, in 128-token steps', () => {
    expect(cacheablePrefixTokens(1023 * 4)).toBe(0);
    expect(cacheablePrefixTokens(1024 * 4)).toBe(1024);
    expect(cacheablePrefixTokens(1300 * 4)).toBe(1280);
  });
});
