/**
 * Error classes with stable codes. The CLI maps each code to an exit status in one table (src/cli/exit.ts).
 */
export type ErrorCode =
  | 'INPUT_INVALID' // bad user data: file, line and field are named
  | 'INPUT_UNREADABLE' // file or folder missing or not readable
  | 'CONFIG_INVALID' // bad flags or config file
  | 'OUTPUT_UNWRITABLE' // the run directory (or another output) cannot be created or written
  | 'PORT_IN_USE' // `view --port` names a port another program holds
  | 'RUN_INVALID' // a run directory is missing or corrupt
  | 'RUN_LOCKED' // another errormap run is writing the run directory
  | 'RUN_INCOMPLETE' // the run finished, but some sampled failures are not analysed or not placed
  | 'JUDGE_UNAVAILABLE' // the judge cannot be used: no key, rejected key, unknown model, unreachable server
  | 'JUDGE_CALL_FAILED' // one judge call kept failing (retries and re-asks exhausted)
  | 'BUDGET_REACHED'; // --budget stopped the judge calls; the run is incomplete and resumes with a higher budget

/** Longest stretch of user data an error message quotes: a 50 MB line must not become a 50 MB message. */
export const MAX_QUOTED_CHARS = 200;
/** A message longer than this was built from data nobody quoted carefully; it is cut. */
const MAX_MESSAGE_CHARS = 1000;

/** At most `max` characters of `text`, with a note of how much was left out. */
export function excerpt(text: string, max = MAX_QUOTED_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

export class ErrormapError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(excerpt(message, MAX_MESSAGE_CHARS), options);
    this.name = 'ErrormapError';
    this.code = code;
  }
  static isInstance(e: unknown): e is ErrormapError {
    return e instanceof ErrormapError;
  }
}

/** Bad input data. The message always names the file, and the line and field when known. */
export class InputError extends ErrormapError {
  readonly file: string;
  readonly line?: number;
  readonly field?: string;
  constructor(args: { file: string; line?: number; field?: string; problem: string; code?: ErrorCode }) {
    const where = [args.file, args.line !== undefined ? `line ${args.line}` : undefined, args.field ? `field "${args.field}"` : undefined]
      .filter(Boolean)
      .join(', ');
    super(args.code ?? 'INPUT_INVALID', `${where}: ${args.problem}`);
    this.name = 'InputError';
    this.file = args.file;
    this.line = args.line;
    this.field = args.field;
  }
}

export class ConfigError extends ErrormapError {
  constructor(message: string) {
    super('CONFIG_INVALID', message);
    this.name = 'ConfigError';
  }
}

/** The run finished with sampled failures left unanalysed or unplaced; the message says how many and why. */
export class RunIncompleteError extends ErrormapError {
  constructor(summary: string) {
    super('RUN_INCOMPLETE', summary);
    this.name = 'RunIncompleteError';
  }
}

/**
 * The operating system refused a file or socket operation (no permission, read-only disk, port taken).
 * The user can fix these, so they get a one-line message and exit 2, never a stack. Undefined for
 * any other error. `code` overrides the error code the system error would get.
 */
export function fromSystemError(error: unknown, what: string, code?: ErrorCode): ErrormapError | undefined {
  const errno = (error as { code?: unknown } | undefined)?.code;
  if (typeof errno !== 'string' || !(errno in SYSTEM_ERRORS)) return undefined;
  const [reason, defaultCode] = SYSTEM_ERRORS[errno];
  return new ErrormapError(code ?? defaultCode, `${what}: ${reason} (${errno})`, { cause: error });
}

const SYSTEM_ERRORS: Record<string, [reason: string, code: ErrorCode]> = {
  EACCES: ['permission denied', 'OUTPUT_UNWRITABLE'],
  EPERM: ['operation not permitted', 'OUTPUT_UNWRITABLE'],
  EROFS: ['the file system is read-only', 'OUTPUT_UNWRITABLE'],
  ENOSPC: ['no space left on the device', 'OUTPUT_UNWRITABLE'],
  EDQUOT: ['disk quota exceeded', 'OUTPUT_UNWRITABLE'],
  ENOENT: ['no such file or folder', 'INPUT_UNREADABLE'],
  ENOTDIR: ['a part of the path is not a folder', 'INPUT_UNREADABLE'],
  EISDIR: ['is a folder, not a file', 'INPUT_UNREADABLE'],
  EADDRINUSE: ['the port is already in use; choose another with --port, or --port 0 for any free port', 'PORT_IN_USE'],
  EADDRNOTAVAIL: ['the address is not available on this machine; check --host', 'CONFIG_INVALID'],
};
