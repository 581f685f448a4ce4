// Process checks for tests: is a PID still alive (by PID, never by counting processes machine-wide,
// since other people run ffmpeg on the same machine).
export { pidAlive as isAlive } from '../../shared/runtime/processes.js';

/** Poll until `check` is true or `timeoutMs` passes; returns the last result. */
export async function waitFor(check: () => boolean, timeoutMs: number, stepMs = 50): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (check()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
