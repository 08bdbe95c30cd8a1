import type { Command, Option } from 'commander';

/**
 * One style for every command's option help: `description (choices: a, b; default: x)`, values
 * unquoted, and no default shown where it says nothing (an empty list, an unset switch).
 */
function defaultText(option: Option): string | undefined {
  if (option.defaultValueDescription) return option.defaultValueDescription;
  const value: unknown = option.defaultValue;
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return undefined;
}

export function optionHelp(option: Option): string {
  const extra: string[] = [];
  if (option.argChoices) extra.push(`choices: ${option.argChoices.join(', ')}`);
  const shown = defaultText(option);
  if (shown !== undefined) extra.push(`default: ${shown}`);
  return extra.length === 0 ? option.description : `${option.description} (${extra.join('; ')})`;
}

/** Applies the style to a program; commands created after this inherit it. */
export function configureHelpStyle(program: Command): Command {
  return program.configureHelp({ optionDescription: optionHelp });
}
