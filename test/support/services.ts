// Real services the tests need. In CI a missing service is a failure, never a skip;
// a developer without one may set ALPR_TEST_ALLOW_SKIP=1 to skip those files locally.
import net from 'node:net';

export const ALLOW_SKIP = process.env.ALPR_TEST_ALLOW_SKIP === '1';

export function portAnswers(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export const REDIS_URL = process.env.ALPR_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
