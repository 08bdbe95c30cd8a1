import { describe, expect, it } from 'vitest';
import { publicSettings, resolveSettings, settingFields, settingValuesSchema } from './run-settings.js';

describe('run settings schema', () => {
  it('gives every setting a one-line description', () => {
    for (const { name, schema } of settingFields()) {
      expect(schema.description, name).toMatch(/\S/);
      expect(schema.description, name).not.toContain('\n');
    }
  });

  it('fills every default, grouped by stage, and keeps the secret out of what run.json records', () => {
    const s = resolveSettings({ inputs: ['data'], out: 'runs/x', apiKey: 'sk-secret', ratio: 0.5 });
    expect(s.sampling).toMatchObject({ ratio: 0.5, seed: 42, thresholds: {} });
    expect(s.taxonomy).toMatchObject({ maxDepth: 2, maxCategories: 25, minShare: 0 });
    expect(s.judge).toMatchObject({ judge: 'offline', concurrency: 8, timeoutMs: 120_000, apiKey: 'sk-secret' });
    const recorded = publicSettings(s);
    expect(JSON.stringify(recorded)).not.toContain('sk-secret');
    expect(recorded).toMatchObject({ ratio: 0.5, maxDepth: 2, out: 'runs/x', inputs: ['data'] });
  });

  it('gives each run its own default objects', () => {
    const a = resolveSettings({ inputs: [], out: 'a' });
    a.sampling.thresholds.mmlu_pro = 1;
    expect(resolveSettings({ inputs: [], out: 'b' }).sampling.thresholds).toEqual({});
  });

  it('accepts in a config file exactly the settings, without filling defaults', () => {
    expect(settingValuesSchema.parse({ ratio: 0.3 })).toEqual({ ratio: 0.3 });
    expect(settingValuesSchema.safeParse({ inputs: ['x'] }).success).toBe(false);
    expect(settingValuesSchema.safeParse({ apiKey: 'sk' }).success).toBe(false);
  });
});
