// `npm run bench:video [-- --pace all|realtime] [--clips tune-a,tune-b,hold]`: `alpr eval --video` on
// the dev clips made from the shared dev photos (bench/dev-clips.ts; tune-a and tune-b were tuned on,
// hold was not). Writes a report per clip to bench-results/video-CLIP.md (with its precision/recall
// plot), every frame's reads to video-CLIP.frames.jsonl (for bench:replay) and prints the totals over the clips: plates stored exact, reads matching no plate, duplicates.
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { main } from '../cli/main.js';
import { PROJECT_ROOT } from '../shared/runtime/paths.js';
import { DEV_CLIPS, type DevClip, ensureDevClip } from './dev-clips.js';

const { values: opts } = parseArgs({
  options: {
    pace: { type: 'string', default: 'all' },
    clips: { type: 'string', default: DEV_CLIPS.join(',') },
    config: { type: 'string', short: 'c' },
  },
});
const clips = opts.clips.split(',') as DevClip[];
const totals = { plates: 0, exact: 0, folded: 0, storedReads: 0, unmatched: 0, duplicates: 0 };
for (const clip of clips) {
  const file = ensureDevClip(clip, (l) => process.stderr.write(`bench:video: ${l}\n`));
  const out: string[] = [];
  // Every frame's reads, for `npm run bench:replay` (tracker and evidence settings without the clip).
  const framesLog = path.join(PROJECT_ROOT, 'bench-results', `video-${clip}.frames.jsonl`);
  rmSync(framesLog, { force: true });
  const args = [
    'eval',
    '--video',
    file,
    '--pace',
    opts.pace,
    '--json',
    '--report',
    path.join(PROJECT_ROOT, 'bench-results', `video-${clip}.md`),
    '--frames-log',
    framesLog,
    ...(opts.config ? ['-c', opts.config] : []),
  ];
  process.stderr.write(`bench:video: alpr ${args.join(' ')}\n`);
  const code = await main(['node', 'alpr', ...args], {
    configPath: undefined,
    cwd: process.cwd(),
    stdout: (line) => {
      out.push(line);
      if (!line.startsWith('{')) process.stdout.write(`${line}\n`);
    },
    stderr: (line) => process.stderr.write(`${line}\n`),
  });
  if (code !== 0) process.exit(code);
  const r = JSON.parse(out[out.length - 1]!) as typeof totals;
  for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += r[k];
}
const pct = (a: number, b: number) => `${b ? ((a / b) * 100).toFixed(1) : '0.0'}%`;
console.log(
  `\nall clips (${clips.join(', ')}, pace ${opts.pace}): ${totals.plates} plates; stored exact ${totals.exact} (${pct(totals.exact, totals.plates)}), folded ${totals.folded} (${pct(totals.folded, totals.plates)}); ${totals.storedReads} reads stored, ${totals.unmatched} matching no plate (${pct(totals.unmatched, totals.storedReads)}); ${totals.duplicates} duplicates; load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
