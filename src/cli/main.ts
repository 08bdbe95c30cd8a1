import { Command } from 'commander';
import { toolVersion } from '../tool-version.js';
import { registerAtlasCommand } from './atlas-command.js';
import { registerAuditCommand } from './audit-command.js';
import { registerCompareCommand } from './compare-command.js';
import { registerDiffCommand } from './diff-command.js';
import { reportError } from './exit.js';
import { configureHelpStyle } from './help-style.js';
import { registerImportCommand } from './import-command.js';
import { registerNoiseCommand } from './noise-command.js';
import { registerProfilesCommand } from './profiles-command.js';
import { registerReportCommand } from './report-command.js';
import { registerRunCommand } from './run-command.js';
import { registerSignaturesCommand } from './signatures-command.js';
import { reportUsageErrorsOnOneLine } from './usage-errors.js';
import { registerValidateCommand } from './validate-command.js';
import { registerViewCommand } from './view-command.js';

// The AI SDK prints warnings to stdout, which would corrupt --json output.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

export function buildProgram(): Command {
  const program = new Command('errormap')
    .description('Why do LLMs fail on benchmarks? Per-failure analysis and a hierarchical error taxonomy.')
    .version(toolVersion())
    .option('--debug', 'print the stack of an error (for bug reports)')
    .exitOverride();
  registerRunCommand(program);
  registerImportCommand(program);
  registerReportCommand(program);
  registerViewCommand(program);
  registerSignaturesCommand(program);
  registerProfilesCommand(program);
  registerNoiseCommand(program);
  registerCompareCommand(program);
  registerDiffCommand(program);
  registerValidateCommand(program);
  registerAtlasCommand(program);
  registerAuditCommand(program);
  for (const command of withSubcommands(program)) reportUsageErrorsOnOneLine(configureHelpStyle(command));
  return program;
}

function withSubcommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap(withSubcommands)];
}

/** Runs the CLI and returns the exit code (src/cli/exit.ts): 0 ok, 2 bad input or usage, 3 incomplete, 4 judge unavailable, 1 a bug. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('commander.')) {
      return code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help' ? 0 : 2;
    }
    // --debug may sit anywhere on the line, and parsing may have failed before commander read it.
    return reportError(error, { debug: argv.includes('--debug') || Boolean(process.env.ERRORMAP_DEBUG) });
  }
}
