import { describe, expect, it } from 'vitest';
import { stableJson, touchedCameras } from '../../shared/config/config-diff.js';

const cam = (id: string, bearingDeg = 90) => ({
  id,
  url: `rtsp://h/${id}`,
  position: { lng: -121.9, lat: 37.3 },
  bearingDeg,
});
const doc = (cameras: unknown[], extra: Record<string, unknown> = {}) => ({
  node: { id: 'e1' },
  cameras,
  ...extra,
});
const running = ['cam-1', 'cam-2'];

describe('touchedCameras', () => {
  it('names the cameras whose entry changed, not those a typo elsewhere leaves alone', () => {
    const last = doc([cam('cam-1'), cam('cam-2')]);
    const next = doc([cam('cam-1', 180), cam('cam-2')], { recognition: { minConfidenc: 0.5 } });
    expect(
      touchedCameras(last, next, [{ path: 'recognition.minConfidenc', message: 'unknown key' }], running),
    ).toEqual({
      all: false,
      cameraIds: ['cam-1'],
    });
  });

  it('ignores key order and formatting, and counts a removed camera as touched', () => {
    const last = doc([cam('cam-1'), cam('cam-2')]);
    const reversedKeys = Object.fromEntries(Object.entries(cam('cam-2')).reverse());
    const reordered = { cameras: [reversedKeys, cam('cam-1')], node: { id: 'e1' } };
    expect(touchedCameras(last, reordered, [], running)).toEqual({ all: false, cameraIds: [] });
    expect(touchedCameras(last, doc([cam('cam-2')]), [], running)).toEqual({
      all: false,
      cameraIds: ['cam-1'],
    });
  });

  it('names a camera an issue points at', () => {
    const last = doc([cam('cam-1'), cam('cam-2')]);
    expect(
      touchedCameras(
        last,
        last,
        [{ path: 'cameras[1].position', message: 'outside node.serviceArea' }],
        running,
      ),
    ).toEqual({
      all: false,
      cameraIds: ['cam-2'],
    });
  });

  it('touches every camera when it cannot tell which', () => {
    const last = doc([cam('cam-1'), cam('cam-2')]);
    expect(touchedCameras(last, undefined, [], running)).toMatchObject({
      all: true,
      why: 'the file could not be parsed',
    });
    expect(touchedCameras(last, doc([cam('cam-1'), { url: 'x' }]), [], running)).toMatchObject({ all: true });
    expect(touchedCameras(last, doc([cam('cam-1'), cam('cam-1')]), [], running)).toMatchObject({ all: true });
    expect(touchedCameras(last, { ...last, cameras: 'oops' }, [], running)).toMatchObject({ all: true });
    expect(
      touchedCameras(
        last,
        doc([cam('cam-1'), cam('cam-2')], { cameraDefaults: { fovDeg: 90 } }),
        [],
        running,
      ),
    ).toEqual({
      all: true,
      why: 'section "cameraDefaults" changed',
    });
    expect(
      touchedCameras(
        last,
        doc([cam('cam-1'), cam('cam-2')], { sites: { bufferM: { religious_observance: -1 } } }),
        [],
        running,
      ),
    ).toMatchObject({
      all: true,
    });
    expect(
      touchedCameras(
        last,
        doc([{ ...cam('cam-1'), id: 7 }, cam('cam-2')]),
        [{ path: 'cameras[0].id', message: 'expected string' }],
        running,
      ),
    ).toMatchObject({
      all: true,
    });
  });
});

describe('stableJson', () => {
  it('sorts keys at every depth', () => {
    expect(stableJson({ b: [{ y: 1, x: 2 }], a: null })).toBe('{"a":null,"b":[{"x":2,"y":1}]}');
  });
});
