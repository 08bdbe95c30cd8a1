import { ErrormapError } from '../errors.js';

/** Exit codes: 0 ok, 1 unexpected failure, 2 bad input, flags, config or judge settings (the user can fix them). */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;

export function exitCodeFor(error: unknown): number {
  if (ErrormapError.isInstance(error)) return EXIT_BAD_INPUT;
  return EXIT_FAILURE;
}

/** Prints a readable error (never a stack for expected errors) and returns the exit code. */
export function reportError(error: unknown, write: (s: string) => void = (s) => process.stderr.write(s)): number {
  if (ErrormapError.isInstance(error)) {
    write(`errormap: ${error.message}\n`);
  } else {
    write(`errormap: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  return exitCodeFor(error);
}
