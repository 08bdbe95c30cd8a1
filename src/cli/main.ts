import { Command } from 'commander';
import { reportError } from './exit.js';
import { registerRunCommand } from './run-command.js';

// The AI SDK prints warnings to stdout, which would corrupt --json output.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

export function buildProgram(): Command {
  const program = new Command('errormap')
    .description('Why do LLMs fail on benchmarks? Per-failure analysis and a hierarchical error taxonomy.')
    .showHelpAfterError()
    .exitOverride();
  registerRunCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('commander.')) {
      const exitCode = (error as { exitCode?: number }).exitCode ?? 2;
      return code === 'commander.helpDisplayed' || code === 'commander.version' ? 0 : exitCode === 0 ? 0 : 2;
    }
    return reportError(error);
  }
}
