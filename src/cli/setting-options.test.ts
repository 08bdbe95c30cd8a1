import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { configureHelpStyle } from './help-style.js';
import { addSettingOptions, FLAG_OF, settingsFromFlags } from './setting-options.js';

describe('run setting flags', () => {
  it('derives a flag for each setting a flag sets, with the default shown from the schema', () => {
    const help = addSettingOptions(configureHelpStyle(new Command('run'))).helpInformation();
    expect(help).toMatch(/--ratio <r>\s+share of failures to analyse per \(model, dataset\)\s+\(default: 0\.1\)/);
    expect(help).toMatch(/--timeout <seconds>\s+timeout of one judge call \(default: 120\)/);
    expect(FLAG_OF).toMatchObject({ maxReferences: '--references', timeoutMs: '--timeout', out: '--out', answerFormats: '--config' });
  });

  it('turns flag texts into setting values, only for the flags given', () => {
    const command = addSettingOptions(new Command('run').exitOverride());
    command.parse(['--timeout', '30', '--models', 'a,b', '--models', 'c', '--threshold', 'x=1', '--threshold', 'y=0.5'], { from: 'user' });
    expect(settingsFromFlags(command.opts())).toEqual({ timeoutMs: 30_000, models: ['a', 'b', 'c'], thresholds: { x: 1, y: 0.5 } });
  });
});
