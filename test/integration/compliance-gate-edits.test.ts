// The compliance gate under bad edits (issue 10, items 8, 9, 11, 14): an invalid config file closes the
// cameras it touches until a valid one arrives; a camera re-aimed and aimed back while the registry was
// away is not stuck pending; a large registry is validated off the event loop; a registry whose sites
// sit on another continent from the cameras is refused.
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { sawtoothSitesGeoJson } from '../../bench/sawtooth-sites.js';
import { RegistryComplianceGate } from '../../edge/compliance/compliance-gate.js';
import { createComplianceGate } from '../../edge/compliance/gate-from-config.js';
import { storeAllowedPasses } from '../../edge/compliance/store-allowed-passes.js';
import { loadConfig } from '../../shared/config/load-config.js';
import { manualClock } from '../../shared/runtime/clock.js';
import { openStore, type Store } from '../../shared/store/store.js';
import { makeCameraConfig, T0 } from '../support/factories.js';
import {
  at,
  DEFAULT_BUFFERS,
  featureCollection,
  makePass,
  makeResolvedCamera,
  polygonSite,
  square,
  storeSink,
} from '../support/geofence-factories.js';
import { tempDir } from '../support/temp-dir.js';

const farChurch = () => polygonSite([square(2000, 2000, 30)], { id: 'ro-far' });
const clinicNorth = () =>
  polygonSite([square(0, 60, 10)], { id: 'rh-north', category: 'reproductive_health' });

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
const writeRegistry = (file: string, features: unknown[]) =>
  writeAtomically(file, JSON.stringify(featureCollection(features)));

const open: Array<{ gate: RegistryComplianceGate; store: Store }> = [];
afterEach(() => {
  for (const { gate, store } of open.splice(0)) {
    gate.stop();
    store.close();
  }
});

/** An edge config file with two cameras near ORIGIN: cam-1 looks south (clear), cam-2 east (clear). */
function configDoc(overrides: { cam1Bearing?: number; extra?: Record<string, unknown> } = {}) {
  const [lng, lat] = at(0, 0);
  const [lng2, lat2] = at(300, 0);
  return {
    node: { id: 'edge-t' },
    sites: { registryPath: 'sites.geojson', reevaluateEveryS: 10 },
    cameras: [
      makeCameraConfig({
        id: 'cam-1',
        position: { lng, lat },
        bearingDeg: overrides.cam1Bearing ?? 180,
        rangeM: 40,
      }),
      makeCameraConfig({
        id: 'cam-2',
        url: 'rtsp://127.0.0.1:8554/cam2',
        position: { lng: lng2, lat: lat2 },
        bearingDeg: 90,
        rangeM: 40,
      }),
    ],
    ...overrides.extra,
  };
}

function gateFromFile() {
  const dir = tempDir();
  writeRegistry(path.join(dir, 'sites.geojson'), [farChurch(), clinicNorth()]);
  const configFile = path.join(dir, 'alpr.yaml');
  writeAtomically(configFile, YAML.stringify(configDoc()));
  const store = openStore(path.join(dir, 'alpr.db'), { retentionDays: 30 });
  const clock = manualClock(T0);
  const reloads: string[] = [];
  const gate = createComplianceGate(loadConfig(configFile).config, store, {
    clock,
    configFile,
    onConfigReload: (r) => reloads.push(r),
  });
  open.push({ gate, store });
  gate.start();
  const recheck = () => {
    clock.advance(10_000);
    gate.refresh();
  };
  return { dir, configFile, store, clock, gate, reloads, recheck, sink: storeSink(store) };
}

describe('an invalid config file on reload', () => {
  it('closes the re-aimed camera (config_invalid) while the typo elsewhere stays unfixed, keeps the untouched one storing, and resumes on a valid file', () => {
    const { configFile, store, clock, gate, reloads, recheck, sink } = gateFromFile();
    expect(gate.peek('cam-1', clock())).toMatchObject({ allow: true });
    expect(gate.peek('cam-2', clock())).toMatchObject({ allow: true });

    // cam-1 is turned to face the clinic, and a typo lands elsewhere in the same file.
    const edited = configDoc({ cam1Bearing: 0, extra: { recognition: { minConfidenc: 0.5 } } });
    writeAtomically(configFile, YAML.stringify(edited));
    recheck();
    expect(gate.peek('cam-1', clock())).toMatchObject({
      allow: false,
      reason: 'config_invalid',
      detail: expect.stringContaining('recognition.minConfidenc: unknown key'),
    });
    expect(gate.peek('cam-2', clock())).toMatchObject({ allow: true });
    const out = storeAllowedPasses(
      gate,
      sink,
      [makePass({ capturedAt: clock() }), makePass({ cameraId: 'cam-2', capturedAt: clock() })],
      'm',
      clock(),
    );
    expect(out.refused).toEqual([
      expect.objectContaining({ cameraId: 'cam-1', reason: 'config_invalid', count: 1 }),
    ]);
    expect(out.stored).toEqual([{ cameraId: 'cam-2', count: 1 }]);
    expect(gate.status(clock()).config).toMatchObject({
      status: 'invalid',
      cameras: ['cam-1'],
      reloads: { invalid: 1 },
    });
    expect(reloads).toEqual(['invalid']);

    // Still invalid on the next checks (nothing changed on disk).
    recheck();
    expect(gate.peek('cam-1', clock())).toMatchObject({ reason: 'config_invalid' });

    // The typo is fixed: the new aim is evaluated (and it faces the clinic).
    writeAtomically(configFile, YAML.stringify(configDoc({ cam1Bearing: 0 })));
    recheck();
    expect(gate.peek('cam-1', clock())).toMatchObject({ allow: false, reason: 'non_compliant' });
    expect(gate.peek('cam-2', clock())).toMatchObject({ allow: true });
    expect(gate.status(clock()).config).toMatchObject({ status: 'valid', reloads: { valid: 1, invalid: 1 } });
    const states = store.audit
      .list({ kind: 'compliance.gate_state', limit: 100 })
      .reverse()
      .flatMap((e) => JSON.parse(e.payload).changes)
      .filter((c: { cameraId: string }) => c.cameraId === 'cam-1')
      .map((c: { to: string }) => c.to);
    expect(states).toEqual(['storing', 'refusing:config_invalid', 'refusing:non_compliant']);
  });

  it('closes every camera when the file cannot be parsed, or a section all cameras depend on changed', () => {
    const { configFile, clock, gate, recheck } = gateFromFile();
    writeAtomically(configFile, 'cameras: [ {id: cam-1\n');
    recheck();
    for (const id of ['cam-1', 'cam-2'])
      expect(gate.peek(id, clock())).toMatchObject({
        reason: 'config_invalid',
        detail: expect.stringContaining('YAML'),
      });
    expect(gate.status(clock()).config).toMatchObject({ status: 'invalid', cameras: 'all' });

    writeAtomically(configFile, YAML.stringify(configDoc()));
    recheck();
    for (const id of ['cam-1', 'cam-2']) expect(gate.peek(id, clock())).toMatchObject({ allow: true });

    // A buffer raised to an invalid value: every verdict depends on it.
    writeAtomically(
      configFile,
      YAML.stringify(
        configDoc({
          extra: { sites: { registryPath: 'sites.geojson', bufferM: { religious_observance: -5 } } },
        }),
      ),
    );
    recheck();
    for (const id of ['cam-1', 'cam-2'])
      expect(gate.peek(id, clock())).toMatchObject({ reason: 'config_invalid' });
  });

  it('applies a valid buffer change by re-evaluating every camera', () => {
    const { configFile, clock, gate, recheck, store } = gateFromFile();
    const before = store.verdicts.latestFor('cam-1')!.id;
    // cam-1 looks south; the clinic is 50 m north of it: a 60 m buffer reaches its capture area.
    writeAtomically(
      configFile,
      YAML.stringify(
        configDoc({
          extra: { sites: { registryPath: 'sites.geojson', bufferM: { reproductive_health: 60 } } },
        }),
      ),
    );
    recheck();
    expect(store.verdicts.latestFor('cam-1')!.id).toBeGreaterThan(before);
    expect(gate.peek('cam-1', clock())).toMatchObject({ reason: 'non_compliant' });
  });
});

describe('re-aim and aim back while the registry is unavailable', () => {
  it('stores again once the same registry version is back (not stuck pending)', () => {
    const dir = tempDir();
    const registryPath = path.join(dir, 'sites.geojson');
    writeRegistry(registryPath, [farChurch(), clinicNorth()]);
    const registryText = JSON.stringify(featureCollection([farChurch(), clinicNorth()]));
    writeAtomically(registryPath, registryText);
    const store = openStore(path.join(dir, 'alpr.db'), { retentionDays: 30 });
    const clock = manualClock(T0);
    const aimed = makeResolvedCamera({ id: 'cam-1', bearingDeg: 180, rangeM: 40 });
    const gate = new RegistryComplianceGate({
      store,
      registryPath,
      buffers: DEFAULT_BUFFERS,
      cameras: [aimed],
      reevaluateEveryMs: 10_000,
      actor: 'edge:test',
      clock,
      watchRegistry: false,
    });
    open.push({ gate, store });
    gate.start();
    expect(gate.peek('cam-1', clock())).toMatchObject({ allow: true });

    gate.setCameras([makeResolvedCamera({ id: 'cam-1', bearingDeg: 90, rangeM: 40 })]); // re-aimed
    writeFileSync(registryPath, '{ not json'); // the registry goes bad meanwhile
    clock.advance(10_000);
    gate.refresh();
    expect(gate.peek('cam-1', clock())).toMatchObject({ allow: false, reason: 'registry_error' });
    gate.setCameras([aimed]); // aimed back
    clock.advance(10_000);
    gate.refresh();
    writeAtomically(registryPath, registryText); // the same registry, the same version
    clock.advance(10_000);
    gate.refresh();
    expect(gate.peek('cam-1', clock())).toMatchObject({ allow: true });
    clock.advance(60_000);
    gate.refresh();
    expect(gate.peek('cam-1', clock())).toMatchObject({ allow: true });
  });
});

describe('a large registry replaced on a running edge', () => {
  it('is validated in a worker thread: the event loop keeps turning and cameras refuse (pending) until it is done', async () => {
    const dir = tempDir();
    const registryPath = path.join(dir, 'sites.geojson');
    writeRegistry(registryPath, [farChurch()]);
    const store = openStore(path.join(dir, 'alpr.db'), { retentionDays: 30 });
    const clock = manualClock(T0);
    const gate = new RegistryComplianceGate({
      store,
      registryPath,
      buffers: DEFAULT_BUFFERS,
      cameras: [makeResolvedCamera({ id: 'cam-1', bearingDeg: 180, rangeM: 40 })],
      reevaluateEveryMs: 10_000,
      actor: 'edge:test',
      clock,
      watchRegistry: false,
    });
    open.push({ gate, store });
    gate.start();
    expect(gate.peek('cam-1', clock())).toMatchObject({ allow: true });

    const big = sawtoothSitesGeoJson({ centre: at(5000, 5000), sites: 3, positionsPerRing: 17_000 });
    writeAtomically(registryPath, JSON.stringify(big));
    const ticks: number[] = [];
    const ticker = setInterval(() => ticks.push(Date.now()), 5);
    try {
      gate.refresh(); // returns at once: the ~2 MB file is validated elsewhere
      expect(gate.peek('cam-1', clock())).toMatchObject({
        allow: false,
        reason: 'pending',
        detail: 'site registry changed; validating the new file',
      });
      const ticksBefore = ticks.length;
      await gate.idle();
      // Timers fired while the validation ran: it did not hold this thread.
      expect(ticks.length).toBeGreaterThan(ticksBefore);
    } finally {
      clearInterval(ticker);
    }
    expect(gate.status(clock()).registry).toMatchObject({ status: 'ok' });
    expect(gate.status(clock()).sites).toBe(3);
    expect(gate.peek('cam-1', clock())).toMatchObject({ allow: true });
  });
});

describe('a registry with latitude and longitude swapped', () => {
  it('is refused against this node’s cameras (registry_error naming it), though every site is a valid position', () => {
    const dir = tempDir();
    const registryPath = path.join(dir, 'sites.geojson');
    const swap = (f: Record<string, unknown>) => {
      const g = f.geometry as { coordinates: number[][][] };
      return {
        ...f,
        geometry: { ...g, coordinates: g.coordinates.map((ring) => ring.map(([x, y]) => [y!, x!])) },
      };
    };
    // New York, as in the issue: |lng| <= 90, so every swapped pair is still a valid position.
    const ny = (x: number, y: number) => [-74.006 + x / 84_000, 40.7128 + y / 111_000];
    const site = (id: string, x: number, y: number) => ({
      type: 'Feature',
      properties: { id, category: 'religious_observance' },
      geometry: {
        type: 'Polygon',
        coordinates: [[ny(x, y), ny(x + 20, y), ny(x + 20, y + 20), ny(x, y + 20), ny(x, y)]],
      },
    });
    writeRegistry(
      registryPath,
      [site('s1', 500, 500), site('s2', -800, 300), site('s3', 200, -900)].map(swap),
    );
    const store = openStore(path.join(dir, 'alpr.db'), { retentionDays: 30 });
    const [lng, lat] = ny(0, 0) as [number, number];
    const camera = { ...makeResolvedCamera({ id: 'cam-ny' }), position: { lng, lat } };
    const gate = new RegistryComplianceGate({
      store,
      registryPath,
      buffers: DEFAULT_BUFFERS,
      cameras: [camera],
      reevaluateEveryMs: 10_000,
      actor: 'edge:test',
      clock: manualClock(T0),
      watchRegistry: false,
    });
    open.push({ gate, store });
    gate.start();
    expect(gate.peek('cam-ny', T0)).toMatchObject({
      allow: false,
      reason: 'registry_error',
      detail: expect.stringMatching(/coordinates look swapped/),
    });
  });
});
