import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = fileURLToPath(new URL('../../src/cli/entry.ts', import.meta.url));
const BUILT_BIN = fileURLToPath(new URL('../../bin/errormap.js', import.meta.url));

/** The developer's own judge settings must not leak into tests. */
function withoutJudgeSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { ERRORMAP_JUDGE: _judge, ...rest } = env;
  return rest;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the errormap CLI from source in a child process (tsx), as a user would run it. */
export function spawnCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  preload: string[] = [],
): { child: ChildProcess; done: Promise<CliResult> } {
  return spawnNode(['--import', 'tsx', ...preload.flatMap((p) => ['--import', p]), ENTRY, ...args], env);
}

/** Starts the built CLI (`bin/errormap.js`, which loads the bundle in dist/bundle/), as an installed errormap runs. */
export function spawnBuiltCli(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<CliResult> } {
  return spawnNode([BUILT_BIN, ...args], env);
}

function spawnNode(nodeArgs: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, nodeArgs, {
    cwd: REPO_ROOT,
    env: { ...withoutJudgeSettings(process.env), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return spawnCli(args, env).done;
}

/** The bundled real sample every end-to-end run reads. */
export const EXAMPLE_DATA = 'examples/data';

/** Flags pointing the judge at a scripted OpenAI-compatible server. */
export function scriptedJudgeFlags(server: { baseUrl: string }, model = 'scripted-judge'): string[] {
  return ['--judge', `openai-compatible:${model}`, '--base-url', server.baseUrl];
}

/** `errormap run` on the example data with a scripted judge: 30% of failures, quiet. */
export function scriptedRunArgs(server: { baseUrl: string }, out: string, extra: string[] = []): string[] {
  return ['run', EXAMPLE_DATA, ...scriptedJudgeFlags(server), '--out', out, '--ratio', '0.3', '--quiet', ...extra];
}
