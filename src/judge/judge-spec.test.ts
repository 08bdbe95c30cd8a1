import { describe, expect, it } from 'vitest';
import { ErrormapError } from '../errors.js';
import { createJudge } from './create-judge.js';
import { parseJudgeSpec } from './judge-spec.js';
import { resolveProvider } from './provider-registry.js';

function errorOf(fn: () => unknown): ErrormapError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ErrormapError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('parseJudgeSpec', () => {
  it('splits at the first colon so model names keep their colons and slashes', () => {
    expect(parseJudgeSpec('ollama:llama3.1:8b')).toEqual({ provider: 'ollama', model: 'llama3.1:8b' });
    expect(parseJudgeSpec('openrouter:meta-llama/llama-3.1-70b')).toEqual({ provider: 'openrouter', model: 'meta-llama/llama-3.1-70b' });
    expect(parseJudgeSpec(' OpenAI:gpt-4.1-mini ')).toEqual({ provider: 'openai', model: 'gpt-4.1-mini' });
  });

  it('rejects a spec without provider or model', () => {
    for (const bad of ['gpt-4o', ':gpt-4o', 'openai:', '']) {
      expect(errorOf(() => parseJudgeSpec(bad)).code).toBe('CONFIG_INVALID');
    }
  });
});

describe('resolveProvider', () => {
  it('presets the base URL of local-server aliases and lets --base-url override it', () => {
    const cases: [string, string][] = [
      ['vllm', 'http://localhost:8000/v1'],
      ['ollama', 'http://localhost:11434/v1'],
      ['llamacpp', 'http://localhost:8080/v1'],
      ['lmstudio', 'http://localhost:1234/v1'],
    ];
    for (const [provider, url] of cases) {
      const resolved = resolveProvider({ provider, model: 'm' }, { env: {} });
      expect(resolved.baseUrl).toBe(url);
      expect(resolved.apiKey).toBeUndefined();
    }
    expect(resolveProvider({ provider: 'ollama', model: 'm' }, { env: {}, baseUrl: 'http://gpu-box:11434/v1' }).baseUrl).toBe(
      'http://gpu-box:11434/v1',
    );
  });

  it('reads keys from the provider variables, with GEMINI_API_KEY as a fallback for google', () => {
    expect(resolveProvider({ provider: 'openai', model: 'gpt-4o' }, { env: { OPENAI_API_KEY: 'k1' } }).apiKey).toBe('k1');
    expect(resolveProvider({ provider: 'google', model: 'gemini-2.5-flash' }, { env: { GEMINI_API_KEY: 'k2' } }).apiKey).toBe('k2');
    expect(resolveProvider({ provider: 'openrouter', model: 'x/y' }, { env: { OPENROUTER_API_KEY: 'k3' } }).baseUrl).toBe(
      'https://openrouter.ai/api/v1',
    );
    expect(resolveProvider({ provider: 'anthropic', model: 'claude-sonnet-4' }, { env: {}, apiKey: 'explicit' }).apiKey).toBe('explicit');
  });

  it('names the variable to set when a hosted provider has no key', () => {
    const cases: [string, RegExp][] = [
      ['openai', /OPENAI_API_KEY/],
      ['anthropic', /ANTHROPIC_API_KEY/],
      ['google', /GOOGLE_GENERATIVE_AI_API_KEY or GEMINI_API_KEY/],
      ['azure', /AZURE_API_KEY/],
      ['openrouter', /OPENROUTER_API_KEY/],
    ];
    for (const [provider, variable] of cases) {
      const error = errorOf(() => resolveProvider({ provider, model: 'm' }, { env: {} }));
      expect(error.code).toBe('JUDGE_UNAVAILABLE');
      expect(error.message).toMatch(variable);
    }
  });

  it('asks for a base URL for openai-compatible and a resource for azure', () => {
    expect(errorOf(() => resolveProvider({ provider: 'openai-compatible', model: 'm' }, { env: {} })).message).toMatch(/--base-url/);
    expect(errorOf(() => resolveProvider({ provider: 'azure', model: 'd' }, { env: { AZURE_API_KEY: 'k' } })).message).toMatch(
      /AZURE_RESOURCE_NAME/,
    );
    expect(resolveProvider({ provider: 'azure', model: 'd' }, { env: { AZURE_API_KEY: 'k', AZURE_RESOURCE_NAME: 'r' } }).apiKey).toBe('k');
  });

  it('lists the known providers for an unknown one', () => {
    const error = errorOf(() => resolveProvider({ provider: 'bedrock', model: 'm' }, { env: {} }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(/openai, anthropic, google/);
  });
});

describe('createJudge', () => {
  it('fails at once, before any call, when the key is missing', () => {
    const error = errorOf(() => createJudge({ spec: 'openai:gpt-4.1-mini', env: {} }));
    expect(error.code).toBe('JUDGE_UNAVAILABLE');
    expect(error.message).toMatch(/OPENAI_API_KEY/);
  });

  it('reports canonical provider and model; the id is the spec as given', () => {
    const judge = createJudge({ spec: 'claude:claude-sonnet-4-20250514', env: { ANTHROPIC_API_KEY: 'secret-value' } });
    expect(judge).toMatchObject({ id: 'claude:claude-sonnet-4-20250514', provider: 'anthropic', model: 'claude-sonnet-4-20250514' });
    expect(JSON.stringify(judge)).not.toContain('secret-value');
  });
});
