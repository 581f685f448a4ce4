// Stops a child process the way ffmpeg likes: "q" on stdin (it finishes cleanly and releases the
// camera session), then SIGTERM, then SIGKILL. Also keeps a registry of live children so that none
// outlives this process, even when it exits through an uncaught error.
import type { ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Track `child` until it exits; on process exit, any still alive is killed (last line of defence). */
export function trackChild(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of live) {
        if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      }
    });
  }
}

/** PIDs of tracked children that have not exited (for tests and diagnostics). */
export function liveChildPids(): number[] {
  return [...live].map((c) => c.pid).filter((pid): pid is number => pid !== undefined);
}

const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, ms);
    const onExit = () => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

export type StopOutcome = 'already_exited' | 'quit' | 'terminated' | 'killed';

/** q → (grace) → SIGTERM → (grace) → SIGKILL. Resolves once the child has exited. */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<StopOutcome> {
  if (hasExited(child) || child.pid === undefined) return 'already_exited';
  if (child.stdin && !child.stdin.destroyed) {
    // ffmpeg reads single keys from stdin; "q" ends the run after flushing, like pressing q in a terminal.
    child.stdin.on('error', () => undefined); // EPIPE when ffmpeg is already gone: nothing to do
    child.stdin.write('q');
    child.stdin.end();
  }
  if (await waitForExit(child, graceMs)) return 'quit';
  child.kill('SIGTERM');
  if (await waitForExit(child, graceMs)) return 'terminated';
  child.kill('SIGKILL');
  await waitForExit(child, 5000);
  return 'killed';
}
