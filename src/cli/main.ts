import { Command } from 'commander';
import { toolVersion } from '../tool-version.js';
import { reportError } from './exit.js';
import { configureHelpStyle } from './help-style.js';
import { reportUsageErrorsOnOneLine } from './usage-errors.js';

// The AI SDK prints warnings to stdout, which would corrupt --json output.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

/**
 * Each command's module, in the order the help lists them. A module brings in everything its command
 * runs (the run pipeline, the viewer's web server, the statistics, ...), so only the ones a command line
 * needs are loaded: starting one command does not parse the code of the others.
 */
const COMMANDS: Record<string, () => Promise<(program: Command) => void>> = {
  run: async () => (await import('./run-command.js')).registerRunCommand,
  import: async () => (await import('./import-command.js')).registerImportCommand,
  report: async () => (await import('./report-command.js')).registerReportCommand,
  view: async () => (await import('./view-command.js')).registerViewCommand,
  signatures: async () => (await import('./signatures-command.js')).registerSignaturesCommand,
  profiles: async () => (await import('./profiles-command.js')).registerProfilesCommand,
  noise: async () => (await import('./noise-command.js')).registerNoiseCommand,
  compare: async () => (await import('./compare-command.js')).registerCompareCommand,
  diff: async () => (await import('./diff-command.js')).registerDiffCommand,
  validate: async () => (await import('./validate-command.js')).registerValidateCommand,
  atlas: async () => (await import('./atlas-command.js')).registerAtlasCommand,
  audit: async () => (await import('./audit-command.js')).registerAuditCommand,
};

/**
 * The commands a command line needs: the one it names; none for --version alone; every one otherwise,
 * for the help that lists them and the suggestion after a mistyped name.
 */
function commandsFor(argv: readonly string[]): string[] {
  // The command is the first word that is not an option: the global options (--debug, help, version) take no value.
  const named = argv.find((arg) => !arg.startsWith('-'));
  if (named !== undefined && Object.hasOwn(COMMANDS, named)) return [named];
  if (named === undefined && (argv.includes('-V') || argv.includes('--version'))) return [];
  return Object.keys(COMMANDS);
}

/** The CLI with the commands `argv` needs (all of them by default). */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('errormap')
    .description('Why do LLMs fail on benchmarks? Per-failure analysis and a hierarchical error taxonomy.')
    .version(toolVersion())
    .option('--debug', 'print the stack of an error (for bug reports)')
    .exitOverride();
  const registers = await Promise.all(commandsFor(argv).map((name) => COMMANDS[name]()));
  for (const register of registers) register(program);
  for (const command of withSubcommands(program)) reportUsageErrorsOnOneLine(configureHelpStyle(command));
  return program;
}

function withSubcommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap(withSubcommands)];
}

/** Runs the CLI and returns the exit code (src/cli/exit.ts): 0 ok, 2 bad input or usage, 3 incomplete, 4 judge unavailable, 1 a bug. */
export async function main(argv: string[]): Promise<number> {
  try {
    const program = await buildProgram(argv);
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
