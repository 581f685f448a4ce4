// The edge's compliance gate: keeps a verdict for every camera against the registry version in force,
// re-evaluates when the registry file or a camera's geometry changes, records verdicts and gate-state
// changes in the store and audit chain, and answers decide() from memory (no I/O per read).
// The storage rule itself is the pure gateDecision() in shared/geofence.
import { AuditKind } from '../../shared/audit/audit-log.js';
import type { ResolvedCamera } from '../../shared/config/camera.schema.js';
import { cameraGeometryOf, cameraHash } from '../../shared/geofence/camera-hash.js';
import {
  decisionLabel,
  type GateCamera,
  type GateDecision,
  gateDecision,
} from '../../shared/geofence/gate-decision.js';
import type { CameraGeometry } from '../../shared/geofence/sector.js';
import { evaluateCamera, type PreparedRegistry, type SiteBuffers } from '../../shared/geofence/verdict.js';
import type { Logger } from '../../shared/logging/logger.js';
import { type Clock, systemClock } from '../../shared/runtime/clock.js';
import type { Store } from '../../shared/store/store.js';
import type { ComplianceGate } from '../pipeline/stages.js';
import { RefusedCounter } from './refused-counter.js';
import { RegistryTracker } from './registry-file.js';
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
  /** Polled on every re-check; return the current cameras to pick up re-aimed ones. */
  cameraSource?: () => readonly ResolvedCamera[] | undefined;
}

interface CameraEntry {
  camera: ResolvedCamera;
  geometry: CameraGeometry;
  gate: GateCamera;
  /** Last state written to the audit chain (`storing`, `refusing:<reason>`). */
  lastLabel?: string;
  /** Geometry hash last written to the cameras table. */
  registeredHash?: string;
}

export class RegistryComplianceGate implements ComplianceGate {
  /** A registry not re-checked for three periods no longer vouches for any verdict. */
  readonly staleAfterMs: number;
  private readonly registry: RegistryTracker;
  /** When a file event was seen that the next refresh has not handled yet. */
  private changeSeenAt: number | undefined;
  private readonly cameras = new Map<string, CameraEntry>();
  private readonly refused: RefusedCounter;
  private readonly clock: Clock;
  private readonly refusedAuditEveryMs: number;
  private timer: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private closeWatch: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly options: ComplianceGateOptions) {
    this.clock = options.clock ?? systemClock;
    this.staleAfterMs = 3 * options.reevaluateEveryMs;
    this.refusedAuditEveryMs = options.refusedAuditEveryMs ?? 300_000;
    this.refused = new RefusedCounter(this.clock());
    this.registry = new RegistryTracker(options.registryPath, options.logger);
    this.applyCameras(options.cameras, this.clock());
  }

  /** Evaluate now, then re-check every period and on registry file events. */
  start(): void {
    this.refresh();
    this.timer = setInterval(() => this.refresh(), this.options.reevaluateEveryMs);
    this.timer.unref();
    if (this.options.watchRegistry !== false) {
      this.closeWatch = watchRegistryFile(
        this.options.registryPath,
        () => {
          this.changeSeenAt ??= this.clock();
          this.scheduleRefresh();
        },
        this.options.logger,
      );
    }
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
    const camera =
      entry && this.changeSeenAt !== undefined && entry.gate.pendingSince === undefined
        ? { ...entry.gate, pendingSince: this.changeSeenAt }
        : entry?.gate;
    return gateDecision({ camera, registry: this.registry.state, now, staleAfterMs: this.staleAfterMs });
  }

  /** Replace the camera list (re-aimed, added or removed cameras); changed ones refuse until re-evaluated. */
  setCameras(cameras: readonly ResolvedCamera[]): void {
    this.applyCameras(cameras, this.clock());
    this.scheduleRefresh();
  }

  /** Registry and per-camera state for /health and `alpr` status output. */
  status(now = this.clock()) {
    return {
      registry: this.registry.state,
      sites: this.registry.prepared?.registry.sites.length,
      cameras: [...this.cameras.keys()].map((cameraId) => ({ cameraId, decision: this.peek(cameraId, now) })),
    };
  }

  /**
   * One re-check: pick up camera changes, re-read the registry, evaluate every camera whose verdict is
   * not for (its current hash, the registry version), then audit state changes and refused counts.
   */
  refresh(): void {
    if (this.stopped) return;
    const now = this.clock();
    const log = this.options.logger;
    if (this.options.cameraSource) {
      try {
        const cameras = this.options.cameraSource();
        if (cameras) this.applyCameras(cameras, now);
      } catch (error) {
        log?.error({ err: error }, 'camera source failed; keeping the current cameras');
      }
    }
    this.registerCameras(now);
    this.registry.check(now);
    this.changeSeenAt = undefined;
    const { state, prepared } = this.registry;
    if (state.status === 'ok' && prepared) {
      for (const [cameraId, entry] of this.cameras) {
        const v = entry.gate.verdict;
        if (v && v.cameraHash === entry.gate.cameraHash && v.registryVersion === state.version) continue;
        try {
          this.evaluate(cameraId, entry, prepared, now);
        } catch (error) {
          entry.gate.pendingSince ??= now;
          log?.error({ err: error, cameraId }, 'verdict could not be recorded; the camera stays closed');
        }
      }
    }
    this.auditStateChanges(now);
    if (now - this.refused.periodStart >= this.refusedAuditEveryMs) this.flushRefused(now);
  }

  /** Stop timers and the watcher, and write out the refused counts. Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.debounce);
    this.closeWatch?.();
    this.flushRefused(this.clock());
  }

  private evaluate(cameraId: string, entry: CameraEntry, prepared: PreparedRegistry, now: number): void {
    const verdict = evaluateCamera(entry.geometry, prepared, this.options.buffers);
    const camera = {
      id: cameraId,
      label: entry.camera.label,
      hash: entry.gate.cameraHash,
      geometry: entry.geometry,
    };
    const verdictId = recordVerdict(this.options.store, this.options.actor, camera, verdict, now);
    entry.registeredHash = camera.hash;
    entry.gate = {
      cameraHash: camera.hash,
      verdict: {
        id: verdictId,
        cameraHash: verdict.cameraHash,
        registryVersion: verdict.registryVersion,
        compliant: verdict.compliant,
        siteIds: verdict.violations.map((v) => v.siteId),
      },
    };
    this.options.logger?.info(
      { cameraId, verdictId, compliant: verdict.compliant, violations: verdict.violations.length },
      verdict.compliant ? 'camera compliant; storing its reads' : 'camera NOT compliant; refusing its reads',
    );
  }

  /** Keep the cameras table current even while no verdict can be made (no registry yet). */
  private registerCameras(now: number): void {
    for (const [cameraId, entry] of this.cameras) {
      if (entry.registeredHash === entry.gate.cameraHash) continue;
      try {
        const camera = {
          id: cameraId,
          label: entry.camera.label,
          hash: entry.gate.cameraHash,
          geometry: entry.geometry,
        };
        registerCamera(this.options.store, camera, now);
        entry.registeredHash = camera.hash;
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
      if (entry && entry.gate.cameraHash === hash) {
        entry.camera = camera;
        continue;
      }
      if (entry)
        this.options.logger?.info(
          { cameraId: camera.id },
          'camera geometry changed; refusing its reads until re-evaluated',
        );
      this.cameras.set(camera.id, {
        camera,
        geometry,
        gate: { cameraHash: hash, verdict: entry?.gate.verdict, pendingSince: now },
        lastLabel: entry?.lastLabel,
        registeredHash: entry?.registeredHash,
      });
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
