// The edge's compliance gate: keeps a verdict for every camera against the registry version in force,
// re-evaluates when the registry file, the config file or a camera's geometry changes, records verdicts
// and gate-state changes in the store and audit chain, and answers decide() from memory (no I/O per read).
// The rules live in shared/geofence: gateDecision() (store or refuse) and gateTransition() (how a
// camera's state changes); this class feeds events in and does the I/O.
import { AuditKind } from '../../shared/audit/audit-log.js';
import type { ResolvedCamera } from '../../shared/config/camera.schema.js';
import { cameraGeometryOf, cameraHash } from '../../shared/geofence/camera-hash.js';
import {
  decisionLabel,
  type GateCamera,
  type GateDecision,
  gateDecision,
  type RegistryState,
} from '../../shared/geofence/gate-decision.js';
import {
  type GateEvent,
  gateTransition,
  needsEvaluation,
  policyKeyOf,
  registryWithPlacement,
  staleAfterMs,
  withPlacementFinding,
  withRegistryOverlay,
} from '../../shared/geofence/gate-state.js';
import type { CameraGeometry } from '../../shared/geofence/sector.js';
import { evaluateCamera, type PreparedRegistry, type SiteBuffers } from '../../shared/geofence/verdict.js';
import type { Logger } from '../../shared/logging/logger.js';
import { type Clock, systemClock } from '../../shared/runtime/clock.js';
import type { Store } from '../../shared/store/store.js';
import type { ComplianceGate } from '../pipeline/stages.js';
import type { ConfigReload, ConfigReloader } from './config-reload.js';
import { PlacementGuard } from './placement-guard.js';
import { RefusedCounter } from './refused-counter.js';
import { type RegistrySource, RegistryTracker } from './registry-file.js';
import { watchRegistryFile } from './registry-watch.js';
import {
  type GateStateChange,
  recordGateStateChanges,
  recordVerdict,
  registerCamera,
} from './verdict-records.js';

export interface ComplianceGateOptions {
  store: Store;
  registryPath: string;
  buffers: SiteBuffers;
  cameras: readonly ResolvedCamera[];
  /** How often the registry file and camera geometry are re-checked (sites.reevaluateEveryS). */
  reevaluateEveryMs: number;
  /** Audit actor, e.g. `edge:edge-01`. */
  actor: string;
  clock?: Clock;
  logger?: Logger;
  /** Refused-read counts go to the audit chain at most this often (default 5 minutes). */
  refusedAuditEveryMs?: number;
  /** Also react to file-system events on the registry (default true; the timer runs regardless). */
  watchRegistry?: boolean;
  /** Polled on every re-check: the config file's new content, valid or not (enabled cameras only apply). */
  configSource?: ConfigReloader;
  /** Called for every config file change seen (for metrics). */
  onConfigReload?: (result: 'valid' | 'invalid') => void;
  /** sites.maxSiteCameraDistanceKm: sites and cameras this far apart are refused (0: off; default 200). */
  maxSiteCameraDistanceKm?: number;
  /** Registry files larger than this are validated in a worker thread (default 64 KiB). */
  inlineParseMaxBytes?: number;
  /** Where the registry comes from (default: the file at registryPath; the hub: registry-hub.ts). */
  registry?: RegistrySource;
  /** A registry not refreshed for this long vouches for no verdict (default: three re-check periods). */
  staleAfterMs?: number;
}

interface CameraEntry {
  camera: ResolvedCamera;
  geometry: CameraGeometry;
  gate: GateCamera | undefined;
  /** Last state written to the audit chain (`storing`, `refusing:<reason>`). */
  lastLabel?: string;
  /** Geometry hash last written to the cameras table. */
  registeredHash?: string;
}

export type ConfigStatus =
  | { status: 'valid'; reloads: { valid: number; invalid: number } }
  | {
      status: 'invalid';
      since: number;
      issues: string[];
      cameras: string[] | 'all';
      reloads: { valid: number; invalid: number };
    };

export class RegistryComplianceGate implements ComplianceGate {
  /** A registry not re-checked for three periods no longer vouches for any verdict. */
  readonly staleAfterMs: number;
  private registry: RegistrySource;
  /** When a file event was seen that the next refresh has not handled yet. */
  private changeSeenAt: number | undefined;
  private readonly cameras = new Map<string, CameraEntry>();
  private readonly refused: RefusedCounter;
  private readonly clock: Clock;
  private readonly refusedAuditEveryMs: number;
  private readonly placement: PlacementGuard;
  private buffers: SiteBuffers;
  private policyKey: string;
  private configStatus: ConfigStatus = { status: 'valid', reloads: { valid: 0, invalid: 0 } };
  private timer: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private closeWatch: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly options: ComplianceGateOptions) {
    this.clock = options.clock ?? systemClock;
    this.staleAfterMs = options.staleAfterMs ?? staleAfterMs(options.reevaluateEveryMs);
    this.refusedAuditEveryMs = options.refusedAuditEveryMs ?? 300_000;
    this.refused = new RefusedCounter(this.clock());
    this.buffers = { ...options.buffers };
    this.policyKey = policyKeyOf(this.buffers);
    this.placement = new PlacementGuard(options.maxSiteCameraDistanceKm ?? 200, options.logger);
    this.registry = options.registry ?? this.trackerFor(options.registryPath);
    this.applyCameras(options.cameras, this.clock());
  }

  /** Evaluate now, then re-check every period and on registry file events. */
  start(): void {
    this.refresh();
    this.timer = setInterval(() => this.refresh(), this.options.reevaluateEveryMs);
    this.timer.unref();
    this.watch(this.options.registryPath);
  }

  /** The pure rule over in-memory state; refusals are counted for the audit chain. */
  decide(cameraId: string, now: number, reads = 1): GateDecision {
    const decision = this.peek(cameraId, now);
    if (!decision.allow) this.refused.add(cameraId, decision.reason, reads);
    return decision;
  }

  /** Like decide() but without counting (status pages, tests). */
  peek(cameraId: string, now: number): GateDecision {
    const entry = this.cameras.get(cameraId);
    const implausible = this.placementFindings().cameras.get(cameraId);
    return gateDecision({
      camera: withPlacementFinding(withRegistryOverlay(entry?.gate, this.changeSeenAt), implausible, now),
      registry: this.registryState(),
      now,
      staleAfterMs: this.staleAfterMs,
      policyKey: this.policyKey,
    });
  }

  /** Replace the camera list (re-aimed, added or removed cameras); changed ones refuse until re-evaluated. */
  setCameras(cameras: readonly ResolvedCamera[]): void {
    this.applyCameras(cameras, this.clock());
    this.scheduleRefresh();
  }

  /** Registry, config and per-camera state for /health and `alpr` status output. */
  status(now = this.clock()) {
    return {
      registry: this.registryState(),
      sites: this.registry.prepared?.registry.sites.length,
      config: this.configStatus,
      cameras: [...this.cameras.keys()].map((cameraId) => ({ cameraId, decision: this.peek(cameraId, now) })),
    };
  }

  /** Resolves once a registry validation running off-thread has been applied (tests, shutdown). */
  async idle(): Promise<void> {
    await this.registry.idle();
  }

  /**
   * One re-check: pick up config changes, re-read the registry, evaluate every camera whose verdict is
   * not for (its current hash, the registry version, the buffers), then audit state changes and counts.
   */
  refresh(): void {
    if (this.stopped) return;
    const now = this.clock();
    const log = this.options.logger;
    try {
      const reload = this.options.configSource?.poll([...this.cameras.keys()]);
      if (reload) this.applyReload(reload, now);
    } catch (error) {
      log?.error({ err: error }, 'config reload failed; keeping the current cameras');
    }
    this.registerCameras(now);
    this.registry.check(now);
    this.changeSeenAt = undefined;
    const registry = this.registryState();
    this.dispatchAll({ type: 'registry_checked', registry, policyKey: this.policyKey });
    const prepared = this.registry.prepared;
    if (registry.status === 'ok' && prepared) {
      for (const [cameraId, entry] of this.cameras) {
        if (!entry.gate || !needsEvaluation(entry.gate, registry, this.policyKey)) continue;
        try {
          this.evaluate(cameraId, entry, prepared, now);
        } catch (error) {
          entry.gate = gateTransition(entry.gate, { type: 'evaluation_failed', now });
          log?.error({ err: error, cameraId }, 'verdict could not be recorded; the camera stays closed');
        }
      }
    }
    this.auditStateChanges(now);
    if (now - this.refused.periodStart >= this.refusedAuditEveryMs) this.flushRefused(now);
  }

  /** Stop timers, the watcher and any registry validation, and write out the refused counts. Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.debounce);
    this.closeWatch?.();
    this.registry.stop();
    this.flushRefused(this.clock());
  }

  /** The tracker's state, unless the registry is implausible against this node's cameras. */
  private registryState(): RegistryState {
    return registryWithPlacement(this.registry.state, this.placementFindings().registry);
  }

  private placementFindings() {
    return this.placement.check(
      this.registry.state.status === 'ok' ? this.registry.prepared?.registry : undefined,
      [...this.cameras.values()].map((e) => e.camera),
    );
  }

  private trackerFor(registryPath: string): RegistryTracker {
    return new RegistryTracker(registryPath, {
      logger: this.options.logger,
      inlineMaxBytes: this.options.inlineParseMaxBytes,
      onLoaded: () => this.refresh(),
    });
  }

  private watch(registryPath: string): void {
    this.closeWatch?.();
    if (this.options.watchRegistry === false) return;
    this.closeWatch = watchRegistryFile(
      registryPath,
      () => {
        this.changeSeenAt ??= this.clock();
        this.scheduleRefresh();
      },
      this.options.logger,
    );
  }

  private dispatchAll(event: GateEvent): void {
    for (const entry of this.cameras.values()) entry.gate = gateTransition(entry.gate, event);
  }

  private applyReload(reload: ConfigReload, now: number): void {
    const counts = this.configStatus.reloads;
    if (reload.kind === 'invalid') {
      counts.invalid += 1;
      this.options.onConfigReload?.('invalid');
      const ids = reload.touched.all ? [...this.cameras.keys()] : reload.touched.cameraIds;
      const [first, ...more] = reload.lines;
      const detail = `config file invalid (${first ?? 'unreadable'}${more.length > 0 ? `, and ${more.length} more` : ''}); fix it to resume`;
      for (const id of ids) {
        const entry = this.cameras.get(id);
        if (entry) entry.gate = gateTransition(entry.gate, { type: 'config_invalid', detail, now });
      }
      const previous = this.configStatus.status === 'invalid' ? this.configStatus : undefined;
      const cameras: string[] | 'all' =
        reload.touched.all || previous?.cameras === 'all'
          ? 'all'
          : [...new Set([...(previous?.cameras ?? []), ...ids])];
      this.configStatus = {
        status: 'invalid',
        since: previous?.since ?? now,
        issues: reload.lines,
        cameras,
        reloads: counts,
      };
      return;
    }
    counts.valid += 1;
    this.options.onConfigReload?.('valid');
    this.dispatchAll({ type: 'config_valid' });
    this.configStatus = { status: 'valid', reloads: counts };
    const { config, cameras } = reload.loaded;
    this.applyCameras(
      cameras.filter((c) => c.enabled),
      now,
    );
    this.placement.setMaxDistanceKm(config.sites.maxSiteCameraDistanceKm);
    const key = policyKeyOf(config.sites.bufferM);
    if (key !== this.policyKey) {
      this.buffers = { ...config.sites.bufferM };
      this.policyKey = key;
      this.options.logger?.info(
        { bufferM: this.buffers },
        'site buffers changed; re-evaluating every camera',
      );
    }
    // A registry from the hub keeps its own copy: following a moved path needs a restart.
    if (!this.options.registry && config.sites.registryPath !== this.options.registryPath) {
      this.registry.stop();
      this.options.registryPath = config.sites.registryPath;
      this.registry = this.trackerFor(config.sites.registryPath);
      this.watch(config.sites.registryPath);
    }
  }

  private evaluate(cameraId: string, entry: CameraEntry, prepared: PreparedRegistry, now: number): void {
    const verdict = evaluateCamera(entry.geometry, prepared, this.buffers);
    const hash = entry.gate!.cameraHash;
    const camera = { id: cameraId, label: entry.camera.label, hash, geometry: entry.geometry };
    const verdictId = recordVerdict(this.options.store, this.options.actor, camera, verdict, now);
    entry.registeredHash = camera.hash;
    entry.gate = gateTransition(entry.gate, {
      type: 'evaluated',
      verdict: {
        id: verdictId,
        cameraHash: verdict.cameraHash,
        registryVersion: verdict.registryVersion,
        compliant: verdict.compliant,
        siteIds: verdict.violations.map((v) => v.siteId),
        policyKey: this.policyKey,
      },
    });
    this.options.logger?.info(
      { cameraId, verdictId, compliant: verdict.compliant, violations: verdict.violations.length },
      verdict.compliant ? 'camera compliant; storing its reads' : 'camera NOT compliant; refusing its reads',
    );
  }

  /** Keep the cameras table current even while no verdict can be made (no registry yet). */
  private registerCameras(now: number): void {
    for (const [cameraId, entry] of this.cameras) {
      const hash = entry.gate?.cameraHash;
      if (!hash || entry.registeredHash === hash) continue;
      try {
        registerCamera(
          this.options.store,
          { id: cameraId, label: entry.camera.label, hash, geometry: entry.geometry },
          now,
        );
        entry.registeredHash = hash;
      } catch (error) {
        this.options.logger?.error({ err: error, cameraId }, 'camera could not be registered in the store');
      }
    }
  }

  private applyCameras(cameras: readonly ResolvedCamera[], now: number): void {
    const seen = new Set<string>();
    for (const camera of cameras) {
      seen.add(camera.id);
      const geometry = cameraGeometryOf(camera);
      const hash = cameraHash(geometry);
      const entry = this.cameras.get(camera.id);
      const gate = gateTransition(entry?.gate, { type: 'configured', cameraHash: hash, now });
      if (entry && gate !== entry.gate)
        this.options.logger?.info(
          { cameraId: camera.id },
          'camera geometry changed; refusing its reads until re-evaluated',
        );
      this.cameras.set(camera.id, { ...entry, camera, geometry, gate });
    }
    for (const id of [...this.cameras.keys()]) if (!seen.has(id)) this.cameras.delete(id);
  }

  private auditStateChanges(now: number): void {
    const changes: GateStateChange[] = [];
    for (const [cameraId, entry] of this.cameras) {
      const decision = this.peek(cameraId, now);
      const to = decisionLabel(decision);
      if (to === entry.lastLabel) continue;
      const from = entry.lastLabel ?? 'started';
      changes.push(
        decision.allow
          ? { cameraId, from, to, verdictId: decision.verdictId }
          : { cameraId, from, to, detail: decision.detail },
      );
    }
    try {
      recordGateStateChanges(this.options.store, this.options.actor, changes, now);
      for (const c of changes) {
        const entry = this.cameras.get(c.cameraId);
        if (entry) entry.lastLabel = c.to;
      }
    } catch (error) {
      this.options.logger?.error(
        { err: error },
        'gate state change could not be audited; retrying next check',
      );
    }
  }

  private flushRefused(now: number): void {
    if (this.refused.pending === 0) {
      this.refused.drain(now);
      return;
    }
    const drained = this.refused.drain(now);
    try {
      this.options.store.audit.append(
        { kind: AuditKind.complianceRefused, actor: this.options.actor, payload: drained },
        now,
      );
    } catch (error) {
      this.refused.restore(drained);
      this.options.logger?.error(
        { err: error },
        'refused-read counts could not be audited; kept for the next flush',
      );
    }
  }

  private scheduleRefresh(): void {
    if (this.stopped) return;
    clearTimeout(this.debounce);
    // A short debounce folds the burst of events one replace produces into one re-check.
    this.debounce = setTimeout(() => this.refresh(), 50);
    this.debounce.unref();
  }
}
