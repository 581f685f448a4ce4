// `npm run bench:replay [-- --set evidence.minConfidence=0.8 ...] [--clips a,b] [-v] [--sweep]
// [--logs DIR]`: the tracker, its screen and the scoring of bench:video replayed on the frames
// bench:video logged (bench-results/video-CLIP.frames.jsonl), with recognition settings overridden.
// Detection and reading are not rerun, so a tracker or evidence setting is measured in a second
// instead of minutes; the figures equal bench:video's for the settings it ran with. `-v` lists every
// miss with the passes near it and every read matching no plate; `--sweep` prints the evidence grid.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { PlateObservation } from '../edge/pipeline/stages.js';
import { openScreenedTracker } from '../edge/recognition/open-pipeline.js';
import { parseConfig } from '../shared/config/load-config.js';
import type { PassRead } from '../shared/plates/pass-tracker.js';
import { PROJECT_ROOT } from '../shared/runtime/paths.js';
import { readClipLabels } from '../tools/evaluation/video-labels.js';
import { type ClipRead, scoreClip } from '../tools/evaluation/video-metrics.js';
import { CLIP_DIR, DEV_CLIPS } from './dev-clips.js';

const { values: opts } = parseArgs({
  options: {
    set: { type: 'string', multiple: true, default: [] },
    clips: { type: 'string', default: DEV_CLIPS.join(',') },
    verbose: { type: 'boolean', short: 'v', default: false },
    sweep: { type: 'boolean', default: false },
    logs: { type: 'string', default: path.join(PROJECT_ROOT, 'bench-results') },
  },
});

/** `a.b=1` pairs into a nested recognition section. */
function overrides(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const [key, value] = pair.split('=');
    if (!key || value === undefined) throw new Error(`--set ${pair}: expected key=value`);
    const parts = key.split('.');
    let at = out;
    for (const p of parts.slice(0, -1)) {
      at[p] ??= {};
      at = at[p] as Record<string, unknown>;
    }
    const n = Number(value);
    at[parts.at(-1)!] = value === 'true' ? true : value === 'false' ? false : Number.isNaN(n) ? value : n;
  }
  return out;
}

function recognitionWith(pairs: readonly string[]) {
  const parsed = parseConfig({ recognition: overrides(pairs) }, PROJECT_ROOT);
  if (!parsed.ok) throw new Error(`bad --set: ${JSON.stringify(parsed.issues)}`);
  return parsed.value.config.recognition;
}
const BASE = 1_000_000_000_000; // clip ms → a plausible epoch time
const frames = new Map<string, Array<{ at: number; obs: PlateObservation[] }>>();
function framesOf(clip: string) {
  const log = path.join(opts.logs, `video-${clip}.frames.jsonl`);
  if (!existsSync(log)) throw new Error(`${log} missing: run npm run bench:video first`);
  if (!frames.has(clip)) {
    const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    frames.set(
      clip,
      lines.map((l) => JSON.parse(l) as { at: number; obs: PlateObservation[] }),
    );
  }
  return frames.get(clip)!;
}

type Totals = {
  plates: number;
  exact: number;
  folded: number;
  storedReads: number;
  unmatched: number;
  duplicates: number;
};
function replay(pairs: readonly string[], verbose: boolean, print: boolean): Totals {
  const recognition = recognitionWith(pairs);
  const totals: Totals = { plates: 0, exact: 0, folded: 0, storedReads: 0, unmatched: 0, duplicates: 0 };
  for (const clip of opts.clips.split(',')) {
    const labels = readClipLabels(path.join(CLIP_DIR, `${clip}.mp4.labels`));
    const passes: Array<{ pass: PassRead; verdict: string }> = [];
    const tracker = openScreenedTracker(recognition, {
      onPass: (pass, verdict) => passes.push({ pass, verdict: verdict.store ? 'stored' : verdict.reason }),
    });
    const stored: PassRead[] = [];
    for (const { at, obs } of framesOf(clip)) {
      stored.push(...tracker.observe('eval', BASE + at, obs), ...tracker.flush(BASE + at));
    }
    stored.push(...tracker.flushAll());
    const toRead = (p: PassRead): ClipRead => ({
      plate: p.plate,
      rawText: p.rawText,
      confidence: p.confidence,
      firstS: (p.evidence.firstSeenAt - BASE) / 1000,
      lastS: (p.evidence.lastSeenAt - BASE) / 1000,
      latencyS: 0,
    });
    const { score, reads } = scoreClip(labels, stored.map(toRead));
    for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += score[k];
    if (print)
      console.log(
        `${clip}: exact ${score.exact}/${score.plates}, folded ${score.folded}; stored ${score.storedReads}, no plate ${score.unmatched}, duplicates ${score.duplicates}`,
      );
    if (!verbose) continue;
    const exactLabels = new Set(reads.filter((r) => r.match === 'exact').map((r) => r.label));
    labels.forEach((l, i) => {
      if (exactLabels.has(i)) return;
      const near = passes.filter(
        (p) => toRead(p.pass).firstS <= l.endS + 0.5 && toRead(p.pass).lastS >= l.startS - 0.5,
      );
      const seen = near
        .map(
          (p) =>
            `${p.pass.plate}(${p.pass.evidence.framesSeen}fr ${p.pass.confidence.toFixed(2)} ${p.verdict})`,
        )
        .join(' ');
      console.log(`  miss ${l.plate.padEnd(8)} ${l.name.padEnd(40)} ${seen || '—'}`);
    });
    for (const r of reads.filter((x) => x.match === 'none')) {
      const l = r.label !== undefined ? labels[r.label] : undefined;
      console.log(
        `  junk ${r.plate.padEnd(8)} ${r.confidence.toFixed(3)} ${r.firstS.toFixed(1)}-${r.lastS.toFixed(1)} s, in view: ${l?.plate ?? '—'}`,
      );
    }
  }
  return totals;
}

const pct = (a: number, b: number) => `${b ? ((a / b) * 100).toFixed(1) : '0.0'}%`;
if (opts.sweep) {
  // Every combination of the evidence thresholds, the others as --set gives them.
  console.log('minFrames minAgreement minConfidence: exact/plates, no plate/stored');
  for (const f of [2, 3, 4]) {
    for (const a of [0.3, 0.4, 0.5]) {
      for (const c of [0.7, 0.75, 0.8, 0.85, 0.9]) {
        const t = replay(
          [
            ...opts.set,
            `evidence.minFrames=${f}`,
            `evidence.minAgreement=${a}`,
            `evidence.minConfidence=${c}`,
          ],
          false,
          false,
        );
        console.log(`${f} ${a} ${c}: exact ${t.exact}/${t.plates}, no plate ${t.unmatched}/${t.storedReads}`);
      }
    }
  }
  process.exit(0);
}
const totals = replay(opts.set, opts.verbose, true);
console.log(
  `all: exact ${totals.exact}/${totals.plates} (${pct(totals.exact, totals.plates)}), folded ${totals.folded}; stored ${totals.storedReads}, no plate ${totals.unmatched} (${pct(totals.unmatched, totals.storedReads)}), duplicates ${totals.duplicates}`,
);
