// The compliance gate with real parts: a SQLite store file, a registry file on disk, file-system
// events, and a store-backed sink inserting passes under the gate's verdict.
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RegistryComplianceGate } from '../../edge/compliance/compliance-gate.js';
import { createComplianceGate } from '../../edge/compliance/gate-from-config.js';
import { storeAllowedPasses } from '../../edge/compliance/store-allowed-passes.js';
import { AuditKind } from '../../shared/audit/audit-log.js';
import type { ResolvedCamera } from '../../shared/config/camera.schema.js';
import { loadConfig } from '../../shared/config/load-config.js';
import { manualClock } from '../../shared/runtime/clock.js';
import { openStore, type Store } from '../../shared/store/store.js';
import { makeCameraConfig, T0 } from '../support/factories.js';
import {
  at,
  circleSite,
  DEFAULT_BUFFERS,
  entrance,
  featureCollection,
  makePass,
  makeResolvedCamera,
  polygonSite,
  square,
  storeSink,
} from '../support/geofence-factories.js';
import { tempDir } from '../support/temp-dir.js';

const REEVALUATE_MS = 10_000;
const farChurch = () => polygonSite([square(2000, 2000, 30)], { id: 'ro-far', name: 'Far Chapel' });
const clinicInView = () =>
  polygonSite([square(0, 60, 10)], { id: 'rh-view', category: 'reproductive_health', name: 'Clinic' });

/** Replace the registry the way `alpr sites import` does: write a temporary file, then rename. */
function writeRegistry(file: string, features: unknown[]): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(featureCollection(features)));
  renameSync(tmp, file);
}

const open: Array<{ gate: RegistryComplianceGate; store: Store }> = [];
afterEach(() => {
  for (const { gate, store } of open.splice(0)) {
    gate.stop();
    store.close();
  }
});

function setUp(options: { features?: unknown[]; cameras?: ResolvedCamera[]; watch?: boolean } = {}) {
  const dir = tempDir();
  const registryPath = path.join(dir, 'sites.geojson');
  if (options.features) writeRegistry(registryPath, options.features);
  const store = openStore(path.join(dir, 'alpr.db'), { retentionDays: 30 });
  const clock = manualClock(T0);
  const gate = new RegistryComplianceGate({
    store,
    registryPath,
    buffers: DEFAULT_BUFFERS,
    cameras: options.cameras ?? [makeResolvedCamera({ id: 'cam-1', bearingDeg: 0, rangeM: 40 })],
    reevaluateEveryMs: REEVALUATE_MS,
    actor: 'edge:test',
    clock,
    watchRegistry: options.watch ?? false,
  });
  open.push({ gate, store });
  return { dir, registryPath, store, clock, gate, sink: storeSink(store) };
}

const kinds = (store: Store) =>
  store.audit
    .list({ limit: 1000 })
    .reverse()
    .map((r) => r.kind);

describe('RegistryComplianceGate with a real store and registry file', () => {
  it('stores reads from a compliant camera, each referencing the verdict that allowed it', () => {
    const { store, clock, gate, sink } = setUp({ features: [farChurch()] });
    gate.start();
    const decision = gate.decide('cam-1', clock());
    expect(decision).toMatchObject({ allow: true });
    const out = storeAllowedPasses(
      gate,
      sink,
      [makePass(), makePass({ plate: '8XYZ987' })],
      'cct-xs',
      clock(),
    );
    expect(out.refused).toEqual([]);
    expect(out.storedIds).toHaveLength(2);
    const read = store.reads.findById(out.storedIds[0]!, clock())!;
    expect(read.verdictId).toBe((decision as { verdictId: number }).verdictId);
    const verdict = store.verdicts.get(read.verdictId)!;
    expect(verdict).toMatchObject({ cameraId: 'cam-1', compliant: true, violations: [] });
    expect(store.cameras.get('cam-1')!.configHash).toBe(verdict.cameraHash);
    expect(kinds(store)).toEqual([AuditKind.complianceVerdict, AuditKind.complianceGateState]);
  });

  it('stops storing within one evaluation when the registry gains a site in view, and the audit chain records it', () => {
    const { registryPath, store, clock, gate, sink } = setUp({ features: [farChurch()] });
    gate.start();
    expect(storeAllowedPasses(gate, sink, [makePass()], 'cct-xs', clock()).storedIds).toHaveLength(1);

    writeRegistry(registryPath, [farChurch(), clinicInView()]);
    clock.advance(REEVALUATE_MS);
    gate.refresh(); // one evaluation
    const out = storeAllowedPasses(
      gate,
      sink,
      [makePass({ capturedAt: clock() }), makePass({ capturedAt: clock() })],
      'cct-xs',
      clock(),
    );
    expect(out.storedIds).toEqual([]);
    expect(out.refused).toEqual([
      expect.objectContaining({ cameraId: 'cam-1', reason: 'non_compliant', count: 2 }),
    ]);
    expect(store.reads.countAll()).toBe(1);

    const verdict = store.verdicts.latestFor('cam-1')!;
    expect(verdict).toMatchObject({
      compliant: false,
      violations: [
        expect.objectContaining({
          siteId: 'rh-view',
          category: 'reproductive_health',
          distanceM: 10,
          bufferM: 30,
        }),
      ],
    });
    gate.stop(); // flushes the refused-read count
    const events = store.audit.list({ limit: 1000 }).reverse();
    const verdictEvents = events
      .filter((e) => e.kind === AuditKind.complianceVerdict)
      .map((e) => JSON.parse(e.payload));
    expect(verdictEvents.map((p) => p.compliant)).toEqual([true, false]);
    expect(verdictEvents[1].violations[0].siteId).toBe('rh-view');
    const stateChanges = events
      .filter((e) => e.kind === AuditKind.complianceGateState)
      .flatMap((e) => JSON.parse(e.payload).changes);
    expect(stateChanges.map((c: { from: string; to: string }) => `${c.from} -> ${c.to}`)).toEqual([
      'started -> storing',
      'storing -> refusing:non_compliant',
    ]);
    const refused = events
      .filter((e) => e.kind === AuditKind.complianceRefused)
      .map((e) => JSON.parse(e.payload));
    expect(refused).toEqual([
      expect.objectContaining({ total: 2, cameras: { 'cam-1': { non_compliant: 2 } } }),
    ]);
    // Confidential names never reach the audit chain.
    expect(events.map((e) => e.payload).join('\n')).not.toContain('Clinic');
    expect(store.audit.verify()).toMatchObject({ ok: true, rows: events.length });
  });

  it('notices a replaced registry by itself and refuses while the re-evaluation is pending', async () => {
    const { registryPath, store, gate, sink } = setUp({ features: [farChurch()], watch: true });
    gate.start();
    expect(gate.peek('cam-1', T0)).toMatchObject({ allow: true });
    writeRegistry(registryPath, [farChurch(), clinicInView()]);
    const seen = new Set<string>();
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const d = gate.peek('cam-1', T0);
      seen.add(d.allow ? 'storing' : d.reason);
      if (!d.allow && d.reason === 'non_compliant') break;
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(seen).toContain('non_compliant');
    expect(storeAllowedPasses(gate, sink, [makePass()], 'cct-xs', T0).storedIds).toEqual([]);
    expect(store.verdicts.latestFor('cam-1')).toMatchObject({ compliant: false });
  });

  it('fails closed with no registry file, an invalid one, an unknown camera, or a registry not re-checked', () => {
    const { registryPath, store, clock, gate, sink } = setUp();
    gate.start();
    expect(gate.decide('cam-1', clock())).toMatchObject({
      allow: false,
      reason: 'registry_error',
      detail: expect.stringContaining('no site registry at'),
    });
    writeFileSync(
      registryPath,
      JSON.stringify(
        featureCollection([polygonSite([square(0, 0, 5)], { properties: { category: 'church' } })]),
      ),
    );
    gate.refresh();
    expect(gate.decide('cam-1', clock())).toMatchObject({
      reason: 'registry_error',
      detail: expect.stringContaining('unknown category "church"'),
    });
    writeRegistry(registryPath, [farChurch()]);
    gate.refresh();
    expect(gate.decide('cam-1', clock())).toMatchObject({ allow: true });
    expect(gate.decide('cam-9', clock())).toMatchObject({ allow: false, reason: 'unknown_camera' });
    clock.advance(3 * REEVALUATE_MS + 1); // the timer did not run (stalled process)
    expect(gate.decide('cam-1', clock())).toMatchObject({ allow: false, reason: 'stale' });
    expect(storeAllowedPasses(gate, sink, [makePass()], 'cct-xs', clock()).storedIds).toEqual([]);
    gate.refresh();
    expect(gate.decide('cam-1', clock())).toMatchObject({ allow: true });
    expect(store.reads.countAll()).toBe(0);
  });

  it('refuses a re-aimed camera until it is re-evaluated, then stores under the new verdict', () => {
    const features = [farChurch(), clinicInView(), entrance('rh-view', [0, 50])];
    const { store, clock, gate, sink } = setUp({
      features,
      cameras: [makeResolvedCamera({ id: 'cam-1', bearingDeg: 0 })],
    });
    gate.start();
    expect(gate.decide('cam-1', clock())).toMatchObject({ reason: 'non_compliant' });
    const firstHash = store.cameras.get('cam-1')!.configHash;
    gate.setCameras([makeResolvedCamera({ id: 'cam-1', bearingDeg: 180 })]);
    expect(gate.decide('cam-1', clock())).toMatchObject({ allow: false, reason: 'pending' });
    gate.refresh();
    const decision = gate.decide('cam-1', clock());
    expect(decision).toMatchObject({ allow: true });
    expect(store.cameras.get('cam-1')!.configHash).not.toBe(firstHash);
    const ids = storeAllowedPasses(gate, sink, [makePass()], 'cct-xs', clock()).storedIds;
    expect(store.reads.findById(ids[0]!, clock())!.verdictId).toBe(
      (decision as { verdictId: number }).verdictId,
    );
  });

  it('does not re-evaluate when the registry is rewritten with the same sites in another order', () => {
    const { registryPath, store, gate } = setUp({
      features: [farChurch(), circleSite(-900, 0, 20, { id: 'ro-2' })],
    });
    gate.start();
    const first = store.verdicts.latestFor('cam-1')!.id;
    writeRegistry(registryPath, [circleSite(-900, 0, 20, { id: 'ro-2' }), farChurch()]);
    gate.refresh();
    expect(store.verdicts.latestFor('cam-1')!.id).toBe(first);
  });

  it('picks up a camera re-aimed in the config file on the next re-check', () => {
    const dir = tempDir();
    writeRegistry(path.join(dir, 'sites.geojson'), [farChurch(), clinicInView()]);
    const [lng, lat] = at(0, 0);
    const configFile = path.join(dir, 'alpr.json');
    const writeConfig = (bearingDeg: number) =>
      writeFileSync(
        configFile,
        JSON.stringify({
          node: { id: 'edge-t' },
          sites: { registryPath: 'sites.geojson', reevaluateEveryS: 10 },
          cameras: [makeCameraConfig({ id: 'cam-1', position: { lng, lat }, bearingDeg, rangeM: 40 })],
        }),
      );
    writeConfig(0);
    const store = openStore(path.join(dir, 'alpr.db'), { retentionDays: 30 });
    const clock = manualClock(T0);
    const gate = createComplianceGate(loadConfig(configFile).config, store, { clock, configFile });
    open.push({ gate, store });
    gate.start();
    expect(gate.peek('cam-1', clock())).toMatchObject({ reason: 'non_compliant' });
    writeConfig(180); // turned away from the clinic
    clock.advance(10_000);
    gate.refresh();
    expect(gate.peek('cam-1', clock())).toMatchObject({ allow: true });
    const actors = new Set(store.audit.list({ limit: 100 }).map((e) => e.actor));
    expect(actors).toEqual(new Set(['edge:edge-t']));
  });

  it('stores one camera of a batch and refuses the other, flushing refused counts once per audit period', () => {
    const cameras = [
      makeResolvedCamera({ id: 'cam-ok', bearingDeg: 180 }),
      makeResolvedCamera({ id: 'cam-bad', bearingDeg: 0 }),
    ];
    const { store, clock, gate, sink } = setUp({ features: [clinicInView()], cameras });
    gate.start();
    const passes = [
      makePass({ cameraId: 'cam-ok' }),
      makePass({ cameraId: 'cam-bad' }),
      makePass({ cameraId: 'cam-bad' }),
    ];
    for (let minute = 0; minute < 12; minute++) {
      const out = storeAllowedPasses(gate, sink, passes, 'cct-xs', clock());
      expect(out.storedIds).toHaveLength(1);
      expect(out.refused).toEqual([
        expect.objectContaining({ cameraId: 'cam-bad', reason: 'non_compliant', count: 2 }),
      ]);
      clock.advance(60_000);
      gate.refresh();
    }
    const refused = store.audit
      .list({ kind: AuditKind.complianceRefused })
      .reverse()
      .map((e) => JSON.parse(e.payload));
    // 12 minutes of refusals, a 5-minute audit period: two aggregated events so far, not 24 rows.
    expect(refused.map((r) => r.total)).toEqual([10, 10]);
    expect(refused[0].cameras).toEqual({ 'cam-bad': { non_compliant: 10 } });
    expect(store.reads.countAll()).toBe(12);
  });
});
