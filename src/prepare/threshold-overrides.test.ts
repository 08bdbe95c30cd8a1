import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { mergeThresholdOverrides, parseThresholdConfig, parseThresholdFlags, readThresholdConfig } from './threshold-overrides.js';
import { defaultThreshold, resolveThresholds } from './thresholds.js';

describe('threshold overrides', () => {
  it('parses --threshold dataset=value flags', () => {
    expect(parseThresholdFlags(['mmlu_pro=1', ' vicuna_bench = 7 ', 'a=b=0.5'])).toEqual({ mmlu_pro: 1, vicuna_bench: 7, 'a=b': 0.5 });
  });

  it.each(['mmlu_pro', '17', 'mmlu_pro=', 'mmlu_pro= ', '=1', ' =1', 'mmlu_pro=high', 'x=NaN', 'x=Infinity'])(
    'rejects the flag "%s"',
    (flag) => {
      expect(() => parseThresholdFlags([flag])).toThrow(
        new ConfigError(`--threshold "${flag}": expected dataset=number, for example mmlu_pro=1`),
      );
    },
  );

  it('reads the thresholds object of a config file and ignores other settings', () => {
    expect(parseThresholdConfig('{"thresholds": {"mmlu_pro": 1}, "ratio": 0.2}', 'c.json')).toEqual({ mmlu_pro: 1 });
    expect(parseThresholdConfig('{}', 'c.json')).toEqual({});
  });

  it('names the file and the key of a bad config', () => {
    expect(() => parseThresholdConfig('{"thresholds": {"mmlu_pro": "1"}}', 'c.json')).toThrow(/^c\.json: thresholds\.mmlu_pro: /);
    expect(() => parseThresholdConfig('[1]', 'c.json')).toThrow(/^c\.json: \(root\): /);
    expect(() => parseThresholdConfig('{', 'c.json')).toThrow(/^c\.json: not valid JSON \(.+\)$/);
  });

  it('reads a config file, and names one it cannot read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'errormap-thresholds-'));
    writeFileSync(join(dir, 'c.json'), '{"thresholds": {"mmlu_pro": 0.5}}');
    expect(await readThresholdConfig(join(dir, 'c.json'))).toEqual({ mmlu_pro: 0.5 });
    const missing = join(dir, 'missing.json');
    await expect(readThresholdConfig(missing)).rejects.toThrow(
      new ConfigError(`cannot read config file ${missing} (ENOENT: no such file or directory, open '${missing}')`),
    );
  });

  it('lets flags win over the config file', () => {
    expect(mergeThresholdOverrides({ a: 1, b: 2 }, { b: 3 })).toEqual({ a: 1, b: 3 });
  });

  it('rounds the default threshold to two decimals', () => {
    expect(defaultThreshold(0.5)).toBe(0.35);
    expect(defaultThreshold(8.123)).toBe(5.69);
    // 0.7 × 0.05 is 0.034999… in binary: a half-cent rounds up, as written in decimal
    expect(defaultThreshold(0.05)).toBe(0.04);
    expect(defaultThreshold(0.15)).toBe(0.11);
    expect(defaultThreshold(0)).toBe(0);
  });

  it('lists thresholds by dataset name, an override winning over the default', () => {
    const predictions = [
      { dataset: 'zeta', score: 1 },
      { dataset: 'alpha', score: 0 },
      { dataset: 'alpha', score: 1 },
    ];
    const thresholds = resolveThresholds(predictions, { zeta: 0.9 });
    expect(Object.entries(thresholds)).toEqual([
      ['alpha', 0.35],
      ['zeta', 0.9],
    ]);
  });
});
