/**
 * Error classes with stable codes. The CLI maps them to exit codes in one place (src/cli/exit.ts).
 */
export type ErrorCode =
  | 'INPUT_INVALID' // bad user data: file, line and field are named
  | 'INPUT_UNREADABLE' // file missing or not readable
  | 'CONFIG_INVALID' // bad flags or config file
  | 'JUDGE_UNAVAILABLE' // judge cannot be built (missing key, unknown provider)
  | 'RUN_INVALID' // a run directory is missing or corrupt
  | 'RUN_LOCKED'; // another errormap run is writing the run directory

export class ErrormapError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
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
