// `alpr hub` as a child process, as an operator runs it: started with a config file, ready once it prints
// its URL, stopped with SIGTERM (or killed, for crash tests). Output is kept for assertions.
import { type ChildProcess, spawn } from 'node:child_process';
import { ALPR_BIN } from './cli.js';

export interface HubProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly output: () => { stdout: string; stderr: string };
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL (a crash) and wait. */
  kill(): Promise<void>;
  readonly exited: Promise<number | null>;
}

export async function startHubProcess(
  configFile: string,
  options: { args?: string[]; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<HubProcess> {
  const child = spawn(
    process.execPath,
    [ALPR_BIN, 'hub', '--config', configFile, '--port', '0', ...(options.args ?? [])],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
    },
  );
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`alpr hub printed no URL in time:\n${stdout}\n${stderr}`)),
      options.timeoutMs ?? 60_000,
    );
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const match = /(https?:\/\/[^\s/]+)\/health/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`alpr hub exited ${code} before it was ready:\n${stdout}\n${stderr}`));
    });
  });
  return {
    url,
    child,
    exited,
    output: () => ({ stdout, stderr }),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
