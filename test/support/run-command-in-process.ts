/** Runs CLI commands through commander inside the test process, capturing what they print. */
import { Command } from 'commander';
import { vi } from 'vitest';
import { main } from '../../src/cli/main.js';

export type RegisterCommand = (program: Command) => void;

export interface CapturedOutput {
  stdout: string;
  stderr: string;
}

/** Runs `action` with stdout and stderr captured instead of printed. */
async function captured<T>(action: () => Promise<T>): Promise<CapturedOutput & { result: T }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    stdout += String(s);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    stderr += String(s);
    return true;
  });
  try {
    const result = await action();
    return { stdout, stderr, result };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/**
 * Parses `args` as `errormap …` with only the given commands registered; commander errors throw
 * (exitOverride) instead of exiting the test process.
 */
export async function runCommandInProcess(register: RegisterCommand[], args: string[]): Promise<CapturedOutput> {
  const program = new Command('errormap').exitOverride();
  for (const r of register) r(program);
  const { stdout, stderr } = await captured(() => program.parseAsync(args, { from: 'user' }));
  return { stdout, stderr };
}

/**
 * Runs `errormap …` through the real entry point (every command, its one-line errors and exit code)
 * inside the test process, without the developer's $ERRORMAP_JUDGE.
 */
export async function runErrormapInProcess(args: string[]): Promise<CapturedOutput & { code: number }> {
  const judge = process.env.ERRORMAP_JUDGE;
  delete process.env.ERRORMAP_JUDGE;
  try {
    const { stdout, stderr, result } = await captured(() => main(args));
    return { stdout, stderr, code: result };
  } finally {
    if (judge !== undefined) process.env.ERRORMAP_JUDGE = judge;
  }
}
