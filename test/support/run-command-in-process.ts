/** Runs CLI commands through commander inside the test process, capturing what they print. */
import { Command } from 'commander';
import { vi } from 'vitest';

export type RegisterCommand = (program: Command) => void;

export interface CapturedOutput {
  stdout: string;
  stderr: string;
}

/**
 * Parses `args` as `errormap …` with only the given commands registered; commander errors throw
 * (exitOverride) instead of exiting the test process.
 */
export async function runCommandInProcess(register: RegisterCommand[], args: string[]): Promise<CapturedOutput> {
  const program = new Command('errormap').exitOverride();
  for (const r of register) r(program);
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
    await program.parseAsync(args, { from: 'user' });
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return { stdout, stderr };
}
