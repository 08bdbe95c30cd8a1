import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { runErrormapInProcess } from '../../test/support/run-command-in-process.js';
import { optionHelp } from './help-style.js';
import { buildProgram } from './main.js';

describe('usage errors: one line, the suggestion and where the help is, exit 2', () => {
  it.each([
    [['run', 'results/', '--ratoi', '1'], "errormap: unknown option '--ratoi' (did you mean --ratio?); see `errormap run --help`\n"],
    [['rn', 'results/'], "errormap: unknown command 'rn' (did you mean run?); see `errormap --help`\n"],
    [
      ['run', 'results/', '--ratio', 'abc'],
      'errormap: --ratio abc: expected a number greater than 0 and at most 1; see `errormap run --help`\n',
    ],
    [
      ['run', 'results/', '--concurrency', '2.5'],
      'errormap: --concurrency 2.5: expected a whole number of at least 1; see `errormap run --help`\n',
    ],
    [
      ['run', 'results/', '--timeout', '-1'],
      'errormap: --timeout -1: expected a number greater than 0 (seconds); see `errormap run --help`\n',
    ],
    [
      ['run', 'results/', '--precheck', 'hints'],
      'errormap: --precheck hints: allowed choices are hint, hint-all, label, off; see `errormap run --help`\n',
    ],
    [
      ['validate', 'runs/demo', '--concurrency', '0'],
      'errormap: --concurrency 0: expected a whole number of at least 1; see `errormap validate --help`\n',
    ],
    [['audit', 'export', 'runs/demo'], "errormap: required option '--out <file>' not specified; see `errormap audit export --help`\n"],
  ])('errormap %j', async (args, line) => {
    const result = await runErrormapInProcess(args);
    expect(result).toEqual({ code: 2, stdout: '', stderr: line });
  });

  it('suggests the nearest judge provider and lists them all', async () => {
    const result = await runErrormapInProcess(['run', 'results/', '--judge', 'opneai:gpt-4o']);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'errormap: CONFIG_INVALID: --judge: unknown provider "opneai" (did you mean openai?); providers: openai, anthropic, google, azure, openai-compatible, vllm, ollama, llamacpp, lmstudio, openrouter\n',
    });
  });
});

/** Every option of every command, with the help text it shows. */
async function everyOptionHelp(): Promise<{ command: string; flags: string; help: string }[]> {
  const rows: { command: string; flags: string; help: string }[] = [];
  const walk = (command: Command, path: string) => {
    for (const o of command.options) rows.push({ command: path, flags: o.flags, help: optionHelp(o) });
    for (const sub of command.commands) walk(sub, `${path} ${sub.name()}`);
  };
  walk(await buildProgram(), 'errormap');
  return rows;
}

const rows = await everyOptionHelp();

describe('help: one style for defaults and placeholders in every command', () => {
  it('shows defaults unquoted, once, and never an empty list', () => {
    const bad = rows.filter((r) => /default: "|default: \[\]|\(default [^:]/.test(r.help) || (r.help.match(/default:/g) ?? []).length > 1);
    expect(bad).toEqual([]);
  });

  it('writes every value placeholder in lower case', () => {
    expect(rows.filter((r) => /<[^>]*[A-Z][^>]*>/.test(r.flags))).toEqual([]);
  });

  it('gives a run setting that other commands take the same default there', () => {
    const help = (command: string, flag: string) => rows.find((r) => r.command === command && r.flags.includes(flag))?.help;
    expect(help('errormap run', '--concurrency')).toBe('judge calls in flight (default: 8)');
    expect(help('errormap validate', '--concurrency')).toBe('judge calls in flight (default: 8)');
    expect(help('errormap validate', '--seed')).toBe('seed of the samples and of the option order (default: 42)');
    expect(help('errormap atlas extend', '--seed')).toBe('seed for the order titles are shown in (default: 42)');
  });

  it('shows choices and the default in one bracket, derived from the settings schema', () => {
    const help = (flag: string) => rows.find((r) => r.command === 'errormap run' && r.flags.startsWith(flag))?.help;
    expect(help('--ratio')).toBe('share of failures to analyse per (model, dataset) (default: 0.1)');
    expect(help('--precheck')).toMatch(/ \(choices: hint, hint-all, label, off; default: hint\)$/);
    expect(help('--threshold')).toBe('success threshold of a dataset (repeatable) (default: round(0.7 × mean, 2) per dataset)');
    expect(help('--batch')).not.toMatch(/default/);
  });
});
