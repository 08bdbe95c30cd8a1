import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { mergeThresholdOverrides, parseThresholdConfig, parseThresholdFlags } from './threshold-overrides.js';
import { defaultThreshold } from './thresholds.js';

describe('threshold overrides', () => {
  it('parses --threshold dataset=value flags', () => {
    expect(parseThresholdFlags(['mmlu_pro=1', ' vicuna_bench = 7 ', 'a=b=0.5'])).toEqual({ mmlu_pro: 1, vicuna_bench: 7, 'a=b': 0.5 });
  });

  it.each(['mmlu_pro', 'mmlu_pro=', '=1', 'mmlu_pro=high', 'x=NaN'])('rejects the flag %s', (flag) => {
    expect(() => parseThresholdFlags([flag])).toThrow(ConfigError);
  });

  it('reads the thresholds object of a config file and ignores other settings', () => {
    expect(parseThresholdConfig('{"thresholds": {"mmlu_pro": 1}, "ratio": 0.2}', 'c.json')).toEqual({ mmlu_pro: 1 });
    expect(parseThresholdConfig('{}', 'c.json')).toEqual({});
  });

  it('names the file and the key of a bad config', () => {
    expect(() => parseThresholdConfig('{"thresholds": {"mmlu_pro": "1"}}', 'c.json')).toThrow(/c\.json: thresholds\.mmlu_pro/);
    expect(() => parseThresholdConfig('{', 'c.json')).toThrow(/c\.json: not valid JSON/);
  });

  it('lets flags win over the config file', () => {
    expect(mergeThresholdOverrides({ a: 1, b: 2 }, { b: 3 })).toEqual({ a: 1, b: 3 });
  });

  it('rounds the default threshold to two decimals', () => {
    expect(defaultThreshold(0.5)).toBe(0.35);
    expect(defaultThreshold(8.123)).toBe(5.69);
  });
});
