import { describe, expect, it } from 'vitest';
import { type ErrorCode, ErrormapError, InputError, RunIncompleteError } from '../errors.js';
import { JudgeCallError } from '../judge/judge.js';
import { EXIT_CODES, exitCodeFor, reportError } from './exit.js';

function printed(error: unknown, debug = false): { code: number; text: string } {
  let text = '';
  const code = reportError(error, { debug, write: (s) => (text += s) });
  return { code, text };
}

describe('exit codes', () => {
  it('gives every error code its documented status: 2 input, 3 incomplete, 4 judge unavailable', () => {
    const expected: Record<ErrorCode, number> = {
      INPUT_INVALID: 2,
      INPUT_UNREADABLE: 2,
      CONFIG_INVALID: 2,
      OUTPUT_UNWRITABLE: 2,
      PORT_IN_USE: 2,
      RUN_INVALID: 2,
      RUN_LOCKED: 2,
      RUN_INCOMPLETE: 3,
      BUDGET_REACHED: 3,
      JUDGE_UNAVAILABLE: 4,
      JUDGE_CALL_FAILED: 4,
    };
    expect(EXIT_CODES).toEqual(expected);
    expect(exitCodeFor(new InputError({ file: 'a.csv', line: 3, field: 'score', problem: 'bad' }))).toBe(2);
    expect(exitCodeFor(new RunIncompleteError('2 of 10 missing'))).toBe(3);
    expect(exitCodeFor(new JudgeCallError({ task: 'error_analysis', reason: 'HTTP 401', unavailable: true, status: 401 }))).toBe(4);
    expect(exitCodeFor(new TypeError('x is undefined'))).toBe(1);
  });

  it('treats what the operating system refuses (permission, read-only disk, busy port) as fixable by the user', () => {
    const eacces = Object.assign(new Error("EACCES: permission denied, mkdir '/ro/run'"), { code: 'EACCES', path: '/ro/run' });
    expect(printed(eacces)).toEqual({ code: 2, text: 'errormap: OUTPUT_UNWRITABLE: /ro/run: permission denied (EACCES)\n' });
    const busy = Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' });
    expect(printed(busy).code).toBe(2);
  });
});

describe('reportError', () => {
  it('prints one line with the code, and the stack only with --debug', () => {
    const error = new ErrormapError('CONFIG_INVALID', 'bad flag\nsecond line');
    expect(printed(error)).toEqual({ code: 2, text: 'errormap: CONFIG_INVALID: bad flag second line\n' });
    const debug = printed(error, true).text.split('\n');
    expect(debug[0]).toBe('errormap: CONFIG_INVALID: bad flag second line');
    expect(debug[1]).toMatch(/ErrormapError: bad flag/);
    expect(debug.some((l) => /^\s+at /.test(l))).toBe(true);
  });

  it('prints a bug as one line that says how to get the stack', () => {
    const { code, text } = printed(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(code).toBe(1);
    expect(text.trim().split('\n')).toHaveLength(1);
    expect(text).toMatch(/unexpected error \(a bug in errormap\): Cannot read properties.*run again with --debug/);
  });

  it('never puts more than about 1000 characters of a message on stderr', () => {
    const huge = 'x'.repeat(50 * 1024 * 1024);
    expect(printed(new ErrormapError('INPUT_INVALID', huge)).text.length).toBeLessThan(1100);
    expect(printed(new Error(huge)).text.length).toBeLessThan(1200);
  });
});
