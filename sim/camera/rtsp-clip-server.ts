// A simulated camera: the real GStreamer RTSP server (rtsp-clip-server.py) serving an H.264 clip on a
// free port. Tests, benchmarks and the demo start, stop and restart it here.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../shared/runtime/paths.js';
import { freePort } from '../../shared/runtime/processes.js';

export { freePort };

const execFileAsync = promisify(execFile);

/** The bindings load only in Debian's own interpreter, not in a python3 that happens to be first on PATH. */
export const DEBIAN_PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(PROJECT_ROOT, 'sim', 'camera', 'rtsp-clip-server.py');

/** Why the RTSP server cannot run here, or undefined when it can. */
export async function rtspServerUnavailable(): Promise<string | undefined> {
  if (!existsSync(DEBIAN_PYTHON)) return `${DEBIAN_PYTHON} is missing`;
  try {
    await execFileAsync(DEBIAN_PYTHON, [
      '-c',
      "import gi; gi.require_version('GstRtspServer', '1.0'); from gi.repository import GstRtspServer",
    ]);
    return undefined;
  } catch (error) {
    return `GStreamer RTSP server bindings missing (python3-gi, gir1.2-gst-rtsp-server-1.0): ${(error as Error).message.split('\n')[0]}`;
  }
}

export interface RtspServerOptions {
  file: string;
  port?: number;
  path?: string;
  user?: string;
  password?: string;
}

export class RtspClipServer {
  private child: ChildProcess | undefined;
  port = 0;

  constructor(private readonly options: RtspServerOptions) {}

  /** URL of the stream, with credentials when the server requires them (or the ones given). */
  url(credentials?: { user: string; password: string }): string {
    const creds =
      credentials ??
      (this.options.user ? { user: this.options.user, password: this.options.password ?? '' } : undefined);
    const auth = creds ? `${encodeURIComponent(creds.user)}:${encodeURIComponent(creds.password)}@` : '';
    return `rtsp://${auth}127.0.0.1:${this.port}${this.options.path ?? '/stream'}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Start (or start again on the same port); resolves once the server prints its ready line. */
  async start(): Promise<void> {
    if (this.child) throw new Error('RTSP server already running');
    if (!this.port) this.port = this.options.port ?? (await freePort());
    const args = [SCRIPT, '--port', String(this.port), '--file', this.options.file];
    if (this.options.path) args.push('--path', this.options.path);
    if (this.options.user) args.push('--user', this.options.user, '--password', this.options.password ?? '');
    const child = spawn(DEBIAN_PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`RTSP server did not start: ${output}`)), 15_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('READY ')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`RTSP server exited with ${code}: ${output}`));
      });
    }).catch((error: unknown) => {
      this.child = undefined;
      throw error;
    });
  }

  /** Stop the server; `hard` kills it like a power cut (no RTSP TEARDOWN). */
  async stop(hard = false): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(hard ? 'SIGKILL' : 'SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  /**
   * Resolve once the server answers an RTSP DESCRIBE for its stream with 200 (the READY line only says
   * it listens; the media is prepared on the first request). Rejects with the last answer after `timeoutMs`.
   */
  async waitUntilServing(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    for (;;) {
      last = await describeOnce(this.url(), 2000).catch((error: Error) => error.message);
      if (last.startsWith('RTSP/1.0 200')) return;
      if (Date.now() > deadline)
        throw new Error(
          `RTSP server on port ${this.port} is not serving ${this.options.path ?? '/stream'}: ${last}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }
}

/** One RTSP DESCRIBE over TCP; resolves with the status line. */
function describeOnce(url: string, timeoutMs: number): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: u.hostname, port: Number(u.port) });
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('DESCRIBE timed out'));
    }, timeoutMs);
    const auth = u.username
      ? `Authorization: Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}\r\n`
      : '';
    const target = `${u.protocol}//${u.host}${u.pathname}`;
    socket.on('connect', () =>
      socket.write(`DESCRIBE ${target} RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\n${auth}\r\n`),
    );
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      const end = answer.indexOf('\r\n');
      if (end < 0) return;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer.slice(0, end));
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
