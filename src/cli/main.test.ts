import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runErrormapInProcess } from '../../test/support/run-command-in-process.js';

const COMMANDS = ['run', 'import', 'report', 'view', 'signatures', 'profiles', 'noise', 'compare', 'diff', 'validate', 'atlas', 'audit'];

// main.ts loads only the command a line names; these lines need none, or all of them.
describe('the command lines that name no command', () => {
  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await runErrormapInProcess(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('--help lists every command, in order', async () => {
    const { code, stdout } = await runErrormapInProcess(['--help']);
    expect(code).toBe(0);
    const listed = [...stdout.slice(stdout.indexOf('Commands:')).matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]);
    expect(listed).toEqual([...COMMANDS, 'help']);
  });
});

describe('a command line that names a command', () => {
  it('shows that command’s help', async () => {
    const { code, stdout } = await runErrormapInProcess(['--debug', 'diff', '--help']);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('Usage: errormap diff [options] <runA> <runB>');
  });
});
