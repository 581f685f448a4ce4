// Process checks for tests: is a PID still alive (by PID, never by counting processes machine-wide,
// since other people run ffmpeg on the same machine).
export { pidAlive as isAlive } from '../../shared/runtime/processes.js';
