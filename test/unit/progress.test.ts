import { describe, expect, it } from 'vitest';
import type { CliEnv } from '../../cli/context.js';
import { createProgress } from '../../cli/progress.js';

function env(tty: boolean) {
  const lines: string[] = [];
  const chunks: string[] = [];
  const e: CliEnv = {
    configPath: undefined,
    cwd: '.',
    stdout: () => undefined,
    stderr: (l) => lines.push(l),
    stderrTTY: tty ? (c) => chunks.push(c) : undefined,
  };
  return { e, lines, chunks };
}

describe('createProgress', () => {
  it('prints a line about every 10% when stderr is not a terminal', () => {
    const { e, lines } = env(false);
    let t = 0;
    const p = createProgress(e, 'eval', 100, () => t);
    for (let i = 1; i <= 100; i++) {
      t += 10;
      p.update(i);
    }
    p.finish();
    expect(lines).toHaveLength(10);
    expect(lines.at(-1)).toBe('eval: 100/100 (100%), 1.0 s');
  });

  it('redraws one bar on a terminal', () => {
    const { e, lines, chunks } = env(true);
    const p = createProgress(e, 'eval', 4, () => 0);
    p.update(2);
    p.finish();
    expect(lines).toEqual([]);
    expect(chunks[0]).toMatch(/^\reval \[#{15}\.{15}\] 2\/4/);
    expect(chunks.at(-1)).toBe('\n');
  });
});
