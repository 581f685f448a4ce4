// Small helpers of the demo: run an `alpr` command in this process, prepare the demo directory, wait.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CliEnv } from '../../cli/context.js';

const MARKER = '.alpr-demo';

/** Runs one `alpr` command in-process (the CLI's main(), passed in so sim/ and cli/ form no cycle). */
export type DemoCli = (argv: string[], env: CliEnv) => Promise<number>;

/** Run an `alpr` command in this process; its output is captured, its exit code checked. */
export async function runAlpr(
  cli: DemoCli,
  args: string[],
  okCodes = [0],
): Promise<{ json: unknown; stdout: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await cli(['node', 'alpr', ...args], {
    configPath: undefined,
    cwd: process.cwd(),
    stdout: (line) => stdout.push(line),
    stderr: (line) => stderr.push(line),
  });
  if (!okCodes.includes(code)) {
    throw new Error(`alpr ${args.slice(0, 2).join(' ')} failed (exit ${code}): ${stderr.join('\n')}`);
  }
  return { json: JSON.parse(stdout.at(-1) ?? 'null'), stdout };
}

/** Empty the demo directory; refuse to touch a non-empty directory the demo did not create. */
export function prepareDir(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if (!existsSync(path.join(dir, MARKER))) {
      throw new Error(`${dir} is not empty and was not made by the demo; choose another --dir`);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, MARKER), 'made by `alpr demo`; deleted and re-created by each demo run\n');
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor(
  condition: () => boolean,
  timeoutMs: number,
  what: string,
  explain?: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      const why = explain?.();
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${why ? `: ${why}` : ''}`);
    }
    await sleep(100);
  }
}
