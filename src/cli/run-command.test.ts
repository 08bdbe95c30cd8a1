import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { publicSettings } from '../settings/run-settings.js';
import { resolveRunSettings } from './run-command.js';
import { addSettingOptions } from './setting-options.js';

// What commander hands over when no option is given: only the repeatable --threshold has a value.
const defaults = { threshold: [] as string[], structuredOutputs: true };

/** The setting flags as commander hands them over after reading `args`. */
function flagsOf(args: string[]): Record<string, unknown> {
  return addSettingOptions(new Command('run').exitOverride()).parse(args, { from: 'user' }).opts();
}

function configFile(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'errormap-config-')), 'errormap.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

describe('resolveRunSettings', () => {
  it('runs offline when no judge is given anywhere, into a run directory named after input and judge', () => {
    const s = resolveRunSettings(['data/mmlu_pro.csv'], defaults, {});
    expect(s.judge.judge).toBe('offline');
    expect(s.output.out).toBe(join('runs', 'mmlu_pro-offline'));
  });

  it('takes the judge from ERRORMAP_JUDGE, the config file, then the flag', () => {
    expect(resolveRunSettings(['r'], defaults, { ERRORMAP_JUDGE: 'openai:gpt-4.1-mini' }).judge.judge).toBe('openai:gpt-4.1-mini');
    const config = configFile({ judge: 'anthropic:claude-sonnet-4-0', thresholds: { mmlu_pro: 1, theoremqa: 0.5 } });
    const fromConfig = resolveRunSettings(['r'], { ...defaults, config, threshold: ['theoremqa=1'] }, { ERRORMAP_JUDGE: 'openai:x' });
    expect(fromConfig.judge.judge).toBe('anthropic:claude-sonnet-4-0');
    expect(fromConfig.sampling.thresholds).toEqual({ mmlu_pro: 1, theoremqa: 1 });
    expect(resolveRunSettings(['r'], { ...defaults, config, judge: 'ollama:qwen2.5:14b' }, {}).judge.judge).toBe('ollama:qwen2.5:14b');
  });

  it('reads the key from the named variable and never records it', () => {
    const s = resolveRunSettings(['r'], { ...defaults, apiKeyEnv: 'MY_KEY' }, { MY_KEY: 'sk-secret-value' });
    expect(s.judge.apiKey).toBe('sk-secret-value');
    expect(JSON.stringify(publicSettings(s))).not.toContain('sk-secret-value');
  });

  it('uses the config file for every setting no flag gives, and the defaults for the rest', () => {
    const config = configFile({ ratio: 0.2, seed: 7, maxDepth: 3, precheck: 'off', concurrency: 2 });
    const s = resolveRunSettings(['r'], { ...defaults, config, judge: 'openai:gpt-4.1-mini' }, {});
    expect(s).toMatchObject({
      sampling: { ratio: 0.2, seed: 7 },
      taxonomy: { maxDepth: 3 },
      analysis: { precheck: 'off', maxReferences: 3, textBudget: 12_000 },
      judge: { concurrency: 2 },
    });
    expect(resolveRunSettings(['r'], { ...defaults, config, ratio: 0.5 }, {}).sampling.ratio).toBe(0.5);
  });

  it('rejects a config file with an unknown key or a wrong type, naming the file and the field', () => {
    expect(() => resolveRunSettings(['r'], { ...defaults, config: configFile({ ratoi: 0.2 }) }, {})).toThrow(/unknown setting.*"ratoi"/);
    expect(() => resolveRunSettings(['r'], { ...defaults, config: configFile({ models: 'gpt-4' }) }, {})).toThrow(/field "models"/);
    expect(() => resolveRunSettings(['r'], { ...defaults, config: configFile({ apiKey: 'sk-x' }) }, {})).toThrow(/unknown setting/);
    expect(() => resolveRunSettings(['r'], { ...defaults, config: configFile(null) }, {})).toThrow(/JSON object/);
  });

  it('refuses an unset --api-key-env variable and judge-only options offline', () => {
    expect(() => resolveRunSettings(['r'], { ...defaults, judge: 'openai:x', apiKeyEnv: 'NOPE' }, {})).toThrow(/NOPE is not set/);
    expect(() => resolveRunSettings(['r'], { ...defaults, batch: true }, {})).toThrow('--batch needs an LLM judge, and none is given');
    expect(() => resolveRunSettings(['r'], { ...defaults, precheck: 'label' }, {})).toThrow(/--precheck label/);
    expect(() => resolveRunSettings(['r'], { ...defaults, reasoning: 'high' }, {})).toThrow(
      /--reasoning needs an LLM judge.*add --judge provider:model, or leave it out$/,
    );
  });

  it('takes --reasoning for a judge, from the flag or the config file, and only low, medium or high', () => {
    expect(resolveRunSettings(['r'], { ...defaults, judge: 'openai:o4-mini', reasoning: 'high' }, {}).judge.reasoning).toBe('high');
    const config = configFile({ judge: 'vllm:gpt-oss-120b', reasoning: 'medium' });
    expect(resolveRunSettings(['r'], { ...defaults, config }, {}).judge.reasoning).toBe('medium');
    expect(() => resolveRunSettings(['r'], { ...defaults, config: configFile({ judge: 'openai:x', reasoning: 'max' }) }, {})).toThrow(
      /reasoning/,
    );
  });

  it('reads prompt-cache rates from --price', () => {
    const judged = (price: string) => ({ ...flagsOf(['--price', price]), judge: 'openai:x' });
    expect(resolveRunSettings(['r'], judged('3,15'), {}).judge.price).toEqual({ input: 3, output: 15 });
    expect(resolveRunSettings(['r'], judged('3,15,0.3,3.75'), {}).judge.price).toEqual({
      input: 3,
      output: 15,
      cachedInput: 0.3,
      cacheWrite: 3.75,
    });
  });

  it('names a run directory after a folder input, even "."', () => {
    expect(resolveRunSettings(['.'], defaults, {}).output.out).toMatch(/^runs\/[^.].*-offline$/);
  });

  it('rejects bad config values with a message naming the file and the field', () => {
    const badRegex = configFile({ answerFormats: { mmlu_pro: { kind: 'regex', pattern: '((' } } });
    expect(() => resolveRunSettings(['r'], { ...defaults, config: badRegex }, {})).toThrow(ConfigError);
    expect(() => resolveRunSettings(['r'], { ...defaults, config: badRegex }, {})).toThrow(/answerFormats\.mmlu_pro\.pattern/);
    expect(() => resolveRunSettings(['r'], { ...defaults, config: '/nonexistent/errormap.json' }, {})).toThrow(/does not exist/);
  });
});
