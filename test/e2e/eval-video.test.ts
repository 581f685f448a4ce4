// `alpr eval --video` as a technician runs it: a rendered traffic clip with a camera's on-screen display
// (a running timestamp and a camera name) through the real edge path, scored against its labels.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTrafficClip, type TrafficVehicle } from '../../sim/camera/traffic-clip.js';
import { spawnCli } from '../support/cli.js';

const VEHICLES: TrafficVehicle[] = [
  { plate: '7DMV482', enterAtS: 1, crossingS: 3.5, laneY: 0.55, plateWidth: 0.14, direction: 'ltr' },
  { plate: '4KTR915', enterAtS: 6, crossingS: 3.5, laneY: 0.62, plateWidth: 0.15, direction: 'rtl' },
  { plate: '8BXW263', enterAtS: 11, crossingS: 3.5, laneY: 0.5, plateWidth: 0.13, direction: 'ltr' },
];
const OVERLAY = { cameraName: 'CAM07 MAIN ST', startAt: Date.UTC(2026, 11, 1, 19, 42, 7) };

interface EvalJson {
  plates: number;
  exact: number;
  unmatched: number;
  duplicates: number;
  storedReads: number;
  frames: { expected: number; analysed: number; lost: number };
  discarded: Record<string, number>;
  reads: Array<{ plate: string; match: string }>;
  sweep: Array<{ minFrames: number; minConfidence: number; precision: number; recall: number }>;
}

describe('alpr eval --video', () => {
  let dir: string;
  let clip: string;
  const config = (name: string, recognition: string, cameraDefaults = '') => {
    const file = path.join(dir, `${name}.yaml`);
    writeFileSync(
      file,
      `recognition: ${recognition}\ncameraDefaults:\n  frame: { width: 960, height: 540 }\n${cameraDefaults}`,
    );
    return file;
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'alpr-e2e-video-'));
    clip = path.join(dir, 'overlay.mp4');
    const rendered = await renderTrafficClip({
      file: clip,
      ffmpegPath: 'ffmpeg',
      width: 960,
      height: 540,
      fps: 10,
      seconds: 18,
      vehicles: VEHICLES,
      overlay: OVERLAY,
    });
    writeFileSync(
      `${clip}.labels`,
      rendered.plates.map((p, i) => `car${i} ${p.plate} ${p.visibleFromS} ${p.visibleToS}`).join('\n'),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stores every plate once and never the overlay text (learned as fixed text)', () => {
    const file = config('learn', '{ staticText: { afterS: 8 } }');
    const run = spawnCli(['eval', '--video', clip, '--pace', 'all', '--json', '-c', file]);
    expect(run.code, run.stderr).toBe(0);
    const out = run.json<EvalJson>();
    expect(out, JSON.stringify(out.reads)).toMatchObject({
      plates: 3,
      exact: 3,
      unmatched: 0,
      duplicates: 0,
    });
    expect(out.reads.map((r) => r.plate).sort()).toEqual(['4KTR915', '7DMV482', '8BXW263']);
    expect(out.frames.lost).toBe(0);
    expect(out.frames.analysed).toBe(out.frames.expected);
    // The overlay was read, and refused as fixed text rather than by luck.
    expect((out.discarded.static_text ?? 0) + (out.discarded.fixed_text ?? 0)).toBeGreaterThan(0);
    expect(run.stdout).toMatch(/exact 3\/3 \(100\.0%\)/);
  });

  it('stores the overlay when learning is off (the control), and not once masks cover it', () => {
    const off = spawnCli([
      'eval',
      '--video',
      clip,
      '--pace',
      'all',
      '--json',
      '-c',
      config('off', '{ staticText: { learn: false } }'),
    ]);
    expect(off.code, off.stderr).toBe(0);
    const stored = off.json<EvalJson>();
    expect(stored.unmatched).toBeGreaterThan(0);
    expect(stored.reads.some((r) => r.match === 'none')).toBe(true);

    const masks = [
      '[[0, 0], [400, 0], [400, 60], [0, 60]]', // the timestamp, top left
      '[[640, 480], [960, 480], [960, 540], [640, 540]]', // the camera name, bottom right
    ];
    const masked = spawnCli([
      'eval',
      '--video',
      clip,
      '--pace',
      'all',
      '--json',
      '-c',
      config('masks', '{ staticText: { learn: false } }', `  masks: [${masks.join(', ')}]\n`),
    ]);
    expect(masked.code, masked.stderr).toBe(0);
    const out = masked.json<EvalJson>();
    expect(out, JSON.stringify(out.reads)).toMatchObject({ exact: 3, unmatched: 0 });
    expect(out.discarded.masked).toBeGreaterThan(0);
  });

  it('writes a Markdown report with a precision/recall plot of the evidence thresholds', () => {
    const report = path.join(dir, 'report.md');
    const run = spawnCli(['eval', '--video', clip, '--pace', 'all', '--report', report, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const text = readFileSync(report, 'utf8');
    expect(text).toContain('# Plate recognition on video');
    expect(text).toContain('![precision and recall](report.pr.png)');
    expect(existsSync(path.join(dir, 'report.pr.png'))).toBe(true);
    expect(readFileSync(path.join(dir, 'report.pr.png')).subarray(1, 4).toString()).toBe('PNG');
    const sweep = run.json<EvalJson>().sweep;
    expect(sweep.length).toBeGreaterThan(10);
    expect(sweep.every((p) => p.precision >= 0 && p.precision <= 1 && p.recall >= 0 && p.recall <= 1)).toBe(
      true,
    );
  });

  it('refuses a malformed labels file naming the line, and a clip that does not exist', () => {
    const labels = path.join(dir, 'bad.labels');
    writeFileSync(labels, 'car0 7DMV482 1 4.5\ncar1 4KTR915 nine 9.5\n');
    const bad = spawnCli(['eval', '--video', clip, '--labels', labels]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.labels:2');
    const missing = spawnCli(['eval', '--video', path.join(dir, 'nope.mp4')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.mp4: no such file/);
    const both = spawnCli(['eval', '--video', clip, '--dataset', dir]);
    expect(both.code).toBe(2);
  });
});
