import { type ErrorCode, ErrormapError, excerpt, fromSystemError } from '../errors.js';

export const EXIT_OK = 0;
/** A bug in errormap: anything not foreseen below. */
export const EXIT_BUG = 1;
/** The command, its settings or its input are wrong: the user can fix them. */
export const EXIT_BAD_INPUT = 2;
/** The run finished, but some sampled failures are not analysed or not placed (the run record says which and why). */
export const EXIT_INCOMPLETE = 3;
/** The judge cannot be used: no key or a rejected one, unknown model, unreachable server. */
export const EXIT_JUDGE_UNAVAILABLE = 4;

/** The one place that decides the exit status of each error code (the README lists them). */
export const EXIT_CODES: Record<ErrorCode, number> = {
  INPUT_INVALID: EXIT_BAD_INPUT,
  INPUT_UNREADABLE: EXIT_BAD_INPUT,
  CONFIG_INVALID: EXIT_BAD_INPUT,
  OUTPUT_UNWRITABLE: EXIT_BAD_INPUT,
  PORT_IN_USE: EXIT_BAD_INPUT,
  RUN_INVALID: EXIT_BAD_INPUT,
  RUN_LOCKED: EXIT_BAD_INPUT,
  RUN_INCOMPLETE: EXIT_INCOMPLETE,
  JUDGE_UNAVAILABLE: EXIT_JUDGE_UNAVAILABLE,
  JUDGE_CALL_FAILED: EXIT_JUDGE_UNAVAILABLE,
  BUDGET_REACHED: EXIT_INCOMPLETE,
};

/** Our own errors keep their code; an operating-system refusal (permission, read-only disk, busy port) gets one. */
function asKnownError(error: unknown): ErrormapError | undefined {
  if (ErrormapError.isInstance(error)) return error;
  const path = (error as { path?: unknown; address?: unknown } | undefined)?.path;
  return fromSystemError(error, typeof path === 'string' ? path : 'errormap');
}

export function exitCodeFor(error: unknown): number {
  const known = asKnownError(error);
  return known ? EXIT_CODES[known.code] : EXIT_BUG;
}

/**
 * Prints one line (`errormap: CODE: message`) and returns the exit code. The stack is printed only
 * with `debug`; a bug says how to get it.
 */
export function reportError(error: unknown, options: { debug?: boolean; write?: (s: string) => void } = {}): number {
  const write = options.write ?? ((s: string) => process.stderr.write(s));
  const known = asKnownError(error);
  const oneLine = (text: string) => excerpt(text.replace(/\s*\n\s*/g, ' ').trim(), 1000);
  if (known) {
    write(`errormap: ${known.code}: ${oneLine(known.message)}\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    write(
      `errormap: unexpected error (a bug in errormap): ${oneLine(message)}${options.debug ? '' : ' (run again with --debug for the stack)'}\n`,
    );
  }
  if (options.debug && error instanceof Error && error.stack) write(`${error.stack}\n`);
  return exitCodeFor(error);
}
