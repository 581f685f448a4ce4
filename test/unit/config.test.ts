import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { issuesToLines } from '../../shared/config/format-issues.js';
import { parseConfig } from '../../shared/config/load-config.js';
import { makeCameraConfig } from '../support/factories.js';

const base = '/srv/alpr/etc';

function invalidLines(raw: unknown): string[] {
  const result = parseConfig(raw, base);
  if (result.ok) throw new Error('expected the config to be invalid');
  return issuesToLines(result.issues);
}

function valid(raw: unknown) {
  const result = parseConfig(raw, base);
  if (!result.ok) throw new Error(issuesToLines(result.issues).join('\n'));
  return result.value;
}

describe('config schema', () => {
  it('fills every default from an empty file, with a 30-day retention', () => {
    const { config, cameras } = valid({});
    expect(config.retention.days).toBe(30);
    expect(config.node.id).toBe('edge-01');
    expect(config.http.host).toBe('127.0.0.1');
    expect(config.recognition.storeCrops).toBe(false);
    expect(config.live.enabled).toBe(false);
    expect(cameras).toEqual([]);
  });

  it('names the path of a misspelled key and suggests the right one', () => {
    expect(invalidLines({ retention: { dayz: 30 } })).toEqual([
      'retention.dayz: unknown key (did you mean "days"?)',
    ]);
    const lines = invalidLines({
      cameras: [makeCameraConfig(), makeCameraConfig({ id: 'cam-2', fovdeg: 40 } as never)],
    });
    expect(lines).toEqual(['cameras[1].fovdeg: unknown key (did you mean "fovDeg"?)']);
  });

  it('rejects a retention longer than the policy allows', () => {
    expect(invalidLines({ retention: { days: 31 } })[0]).toMatch(/^retention\.days: /);
  });

  it('reports a missing required camera field by path', () => {
    const camera = makeCameraConfig();
    delete camera.bearingDeg;
    expect(invalidLines({ cameras: [camera] })).toEqual([
      'cameras[0].bearingDeg: required number is missing',
    ]);
  });

  it('applies camera defaults and lets a camera override them', () => {
    const { cameras } = valid({
      cameraDefaults: { fovDeg: 50, sampleFps: 4 },
      cameras: [
        makeCameraConfig({ id: 'a' }),
        makeCameraConfig({ id: 'b', fovDeg: 20, frame: { width: 640, height: 360 } }),
      ],
    });
    expect(cameras[0]).toMatchObject({ fovDeg: 50, sampleFps: 4, frame: { width: 1280, height: 720 } });
    expect(cameras[1]).toMatchObject({ fovDeg: 20, sampleFps: 4, frame: { width: 640, height: 360 } });
  });

  it('rejects duplicate camera ids and an ROI outside the frame', () => {
    const lines = invalidLines({
      cameras: [
        makeCameraConfig({ id: 'a' }),
        makeCameraConfig({ id: 'a', roi: { x: 1200, y: 0, width: 200, height: 100 } }),
      ],
    });
    expect(lines).toContain('cameras[1].id: duplicate camera id "a" (also cameras[0])');
    expect(lines.some((l) => l.startsWith('cameras[1].roi: region 200x100+1200+0 extends outside'))).toBe(
      true,
    );
  });

  it('checks bounds with the offending path', () => {
    const lines = invalidLines({
      cameras: [makeCameraConfig({ bearingDeg: 360, position: { lng: -200, lat: 37 } })],
    });
    expect(lines.map((l) => l.split(':')[0])).toEqual(['cameras[0].position.lng', 'cameras[0].bearingDeg']);
  });

  it('resolves relative paths against the config file directory', () => {
    const { config } = valid({ store: { path: 'data/x.db' }, sites: { registryPath: '/abs/sites.geojson' } });
    expect(config.store.path).toBe(path.join(base, 'data/x.db'));
    expect(config.sites.registryPath).toBe('/abs/sites.geojson');
    expect(path.isAbsolute(config.models.recognizer!)).toBe(true);
  });

  it('rejects a plate pattern that is not a regular expression', () => {
    expect(invalidLines({ recognition: { plateFormat: { pattern: '([A-Z' } } })[0]).toMatch(
      /^recognition\.plateFormat\.pattern: not a valid regular expression/,
    );
  });
});
