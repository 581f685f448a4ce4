// Running the `alpr` CLI from tests: in-process (fast, for logic) or as a child process (e2e).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { main } from '../../cli/main.js';
import { PROJECT_ROOT } from '../../shared/runtime/paths.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The last stdout line parsed as JSON (the `--json` convention). */
  json<T = Record<string, unknown>>(): T;
}

function result(code: number, stdout: string, stderr: string): CliRun {
  return {
    code,
    stdout,
    stderr,
    json<T>() {
      const lines = stdout.trim().split('\n');
      return JSON.parse(lines[lines.length - 1] ?? 'null') as T;
    },
  };
}

/** Run `alpr ARGS` in this process with captured output. */
export async function runCli(
  args: string[],
  options: { cwd?: string; configPath?: string } = {},
): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'alpr', ...args], {
    configPath: options.configPath,
    cwd: options.cwd ?? process.cwd(),
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
  });
  return result(code, out.join('\n'), err.join('\n'));
}

export const ALPR_BIN = path.join(PROJECT_ROOT, 'bin', 'alpr.mjs');

/** Run the real binary as a user would. */
export function spawnCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): CliRun {
  const child = spawnSync(process.execPath, [ALPR_BIN, ...args], {
    cwd: options.cwd ?? PROJECT_ROOT,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
  });
  if (child.error) throw child.error;
  return result(child.status ?? 1, child.stdout, child.stderr);
}
