import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { addJudgeOptions, resolveJudge } from './judge-options.js';

describe('judge options', () => {
  it('parses the same three flags on any command', () => {
    const command = addJudgeOptions(new Command('x').exitOverride());
    command.parse(['--judge', 'vllm:qwen', '--base-url', 'http://h:8000/v1', '--api-key-env', 'K'], { from: 'user' });
    expect(command.opts()).toEqual({ judge: 'vllm:qwen', baseUrl: 'http://h:8000/v1', apiKeyEnv: 'K' });
  });

  it('reads the key from the named variable, and refuses a named variable that is not set', () => {
    expect(resolveJudge({ judge: 'openai:x', apiKeyEnv: 'K' }, { K: 'sk-1' })).toEqual({ spec: 'openai:x', apiKey: 'sk-1' });
    expect(() => resolveJudge({ judge: 'openai:x', apiKeyEnv: 'K' }, {})).toThrow(ConfigError);
    expect(() => resolveJudge({ judge: 'openai:x', apiKeyEnv: 'K' }, { K: '' })).toThrow(/K is not set/);
  });

  it('falls back to $ERRORMAP_JUDGE unless the command wants an explicit judge', () => {
    expect(resolveJudge({}, { ERRORMAP_JUDGE: 'anthropic:y' }).spec).toBe('anthropic:y');
    expect(resolveJudge({}, { ERRORMAP_JUDGE: 'anthropic:y' }, { fromEnv: false }).spec).toBeUndefined();
    expect(resolveJudge({ judge: 'openai:x' }, { ERRORMAP_JUDGE: 'anthropic:y' }).spec).toBe('openai:x');
  });
});
