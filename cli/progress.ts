// Progress of long CLI jobs on stderr: a redrawn bar on a terminal, otherwise a plain line every
// 10% (or every 15 s) so logs and CI output stay readable.
import type { CliEnv } from './context.js';

export interface Progress {
  update(done: number): void;
  finish(): void;
}

export function createProgress(
  env: CliEnv,
  label: string,
  total: number,
  now = () => performance.now(),
): Progress {
  const started = now();
  let lastLineAt = started;
  let lastShare = 0;
  const eta = (done: number) => {
    const elapsed = (now() - started) / 1000;
    return done > 0 ? Math.max(0, (elapsed / done) * (total - done)) : 0;
  };
  return {
    update(done) {
      const share = total > 0 ? done / total : 1;
      if (env.stderrTTY) {
        const width = 30;
        const filled = Math.round(share * width);
        env.stderrTTY(
          `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ETA ${eta(done).toFixed(0)}s `,
        );
        return;
      }
      const t = now();
      if (share - lastShare >= 0.1 || t - lastLineAt >= 15_000 || done === total) {
        env.stderr(
          `${label}: ${done}/${total} (${Math.round(share * 100)}%), ${((t - started) / 1000).toFixed(1)} s`,
        );
        lastShare = share;
        lastLineAt = t;
      }
    },
    finish() {
      if (env.stderrTTY) env.stderrTTY('\n');
    },
  };
}
