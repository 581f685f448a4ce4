import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestEntry } from '../../models/manifest.js';
import { renderScene, toJpeg } from '../../sim/synthetic/render-scene.js';
import { spawnCli } from '../support/cli.js';
import { tempDir } from '../support/temp-dir.js';

/** A folder in the openalpr benchmark format, made of rendered photos; one label the reader cannot match. */
async function syntheticDataset(dir: string) {
  const photos = [
    { name: 'car-a', text: '7ABC123', label: '7ABC123', at: { x: 500, y: 400, width: 150 } },
    { name: 'car-b', text: 'KL3B8K', label: 'KL3B8K', at: { x: 300, y: 350, width: 120 } },
    { name: 'car-c', text: '4GHJ567', label: '4GHJ999', at: { x: 700, y: 420, width: 170 } },
  ];
  mkdirSync(dir, { recursive: true });
  for (const p of photos) {
    const scene = await renderScene({ width: 1280, height: 720, plates: [{ text: p.text, at: p.at }] });
    writeFileSync(path.join(dir, `${p.name}.jpg`), await toJpeg(scene.image));
    const b = scene.plates[0]!.box;
    writeFileSync(
      path.join(dir, `${p.name}.txt`),
      `${p.name}.jpg\t${b.x}\t${b.y}\t${b.width}\t${b.height}\t${p.label}\n`,
    );
  }
}

describe('alpr recognize / alpr eval', () => {
  let dataset: string;
  beforeAll(async () => {
    // Not tempDir(): that is cleaned after each test, and these tests share the folder.
    dataset = path.join(mkdtempSync(path.join(os.tmpdir(), 'alpr-e2e-dataset-')), 'photos');
    await syntheticDataset(dataset);
  });
  afterAll(() => rmSync(path.dirname(dataset), { recursive: true, force: true }));

  it('prints plate, confidence, box and timing per image', () => {
    const run = spawnCli(['recognize', path.join(dataset, 'car-a.jpg'), path.join(dataset, 'car-b.jpg')]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /car-a\.jpg {2}7ABC123 {2}confidence [01]\.\d{3} .*box \d+,\d+ \d+x\d+ {2}[\d.]+ ms/,
    );
    expect(lines[1]).toContain('KL3B8K');
  });

  it('prints one JSON object with --json', () => {
    const run = spawnCli(['recognize', '--json', path.join(dataset, 'car-a.jpg')]);
    expect(run.code, run.stderr).toBe(0);
    const out = run.json<{
      modelId: string;
      images: Array<{ plates: Array<{ plate: string; box: object }>; timing: { totalMs: number } }>;
    }>();
    expect(out.modelId).toBe('ppocrv4-det+cct-xs-v1-global');
    expect(out.images[0]!.plates[0]).toMatchObject({ plate: '7ABC123' });
    expect(out.images[0]!.timing.totalMs).toBeGreaterThan(0);
  });

  it('evaluates a folder: summary, JSON last line, Markdown report of misses, progress on stderr', () => {
    const report = path.join(tempDir(), 'report.md');
    const run = spawnCli(['eval', '--dataset', dataset, '--json', '--report', report]);
    expect(run.code, run.stderr).toBe(0);
    const summary = run.json<Record<string, unknown> & { latencyMs: Record<string, number> }>();
    expect(summary).toMatchObject({ n: 3, exact: 0.6667, folded: 0.6667, found: 1 });
    expect(Object.keys(summary.latencyMs)).toEqual(expect.arrayContaining(['mean', 'median', 'p95']));
    expect(summary.latencyMs.median).toBeGreaterThan(0);
    expect(run.stdout).toMatch(/exact {5}66\.7%/);
    expect(run.stderr).toContain('eval: 3/3 (100%)');
    expect(readFileSync(report, 'utf8')).toContain('| car-c.jpg | 4GHJ999 | 4GHJ567 |');
  });

  it('rejects a folder without labelled photos with exit code 2', () => {
    const run = spawnCli(['eval', '--dataset', tempDir()]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no labelled images/);
  });

  it('fails at start naming a missing model file and its expected hash', () => {
    const dir = tempDir();
    const missing = path.join(dir, 'nope.onnx');
    writeFileSync(path.join(dir, 'alpr.yaml'), `models:\n  recognizer: ${missing}\n`);
    const run = spawnCli([
      'recognize',
      '--config',
      path.join(dir, 'alpr.yaml'),
      path.join(dataset, 'car-a.jpg'),
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(missing);
    expect(run.stderr).toContain(manifestEntry('recognizer').sha256);
  });
});
