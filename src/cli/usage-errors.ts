import type { Command } from 'commander';

/** `errormap audit export`: the words a user types to reach a command. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** "option '-o, --out <dir>' argument 'x' is invalid. why" → "--out x: why" (the flag as the user typed it). */
function invalidArgumentText(message: string): string {
  const m = /^option '(?:-\w, )?(--?[\w-]+)[^']*' argument '(.*)' is invalid\. ?(.*)$/s.exec(message);
  if (!m) return message;
  const [, flag, value, why] = m;
  return `${flag} ${value}: ${why.replace(/^Allowed choices are/, 'allowed choices are').replace(/\.$/, '')}`;
}

/**
 * A usage error as one line: commander's message (with its "Did you mean" suggestion) and where the
 * help is, instead of the whole help, which would push the error off the screen.
 */
export function usageErrorLine(commanderMessage: string, path: string): string {
  const text = commanderMessage
    .trim()
    .replace(/^error: /, '')
    .replace(/\s*\n\s*\(Did you mean (.*)\)$/s, ' (did you mean $1)');
  const line = invalidArgumentText(text)
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\.$/, '');
  return `errormap: ${line}; see \`${path} --help\`\n`;
}

/** Makes `command` (not its subcommands) print usage errors as one line. */
export function reportUsageErrorsOnOneLine(command: Command): Command {
  return command.showHelpAfterError(false).configureOutput({
    outputError: (message, write) => write(usageErrorLine(message, commandPath(command))),
  });
}
