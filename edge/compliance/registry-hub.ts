// The registry source of an edge that follows the city registry at the hub (sites.hub): fetches
// GET /api/v1/registry on the gate's re-check interval with If-None-Match, uses a copy only once its
// signature verifies under the hub key this edge was given and its content is the signed version, and
// keeps the last good copy on disk for restarts. It makes no policy decision: the gate's pure
// gateDecision() refuses every read once the copy has not been refreshed for longer than the limit.

import type { KeyObject } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { type SignedRegistry, verifySignedRegistry } from '../../shared/crypto/signed-registry.js';
import type { RegistryState } from '../../shared/geofence/gate-decision.js';
import { registryToGeoJson, type SiteRegistry } from '../../shared/geofence/site-registry.js';
import { type PreparedRegistry, prepareRegistry } from '../../shared/geofence/verdict.js';
import type { Logger } from '../../shared/logging/logger.js';
import { type Clock, systemClock } from '../../shared/runtime/clock.js';
import type { HubRequestSigner } from './hub-request-signer.js';
import type { RegistrySource } from './registry-file.js';

export const REGISTRY_PATH = '/api/v1/registry';

export interface HubRegistrySourceOptions {
  hubUrl: string;
  publicKey: KeyObject;
  /** sites.registryPath: the last good copy as GeoJSON (planner commands read it); its signed copy beside it */
  cacheFile: string;
  sign: HubRequestSigner;
  /** fetch at most this often (the gate's re-check interval) */
  refreshEveryMs: number;
  timeoutMs: number;
  clock?: Clock;
  logger?: Logger;
  fetch?: typeof fetch;
  /** Called after each fetch that changed what the gate should see, so it re-checks at once. */
  onUpdate?: () => void;
}

interface GoodCopy {
  signed: SignedRegistry;
  registry: SiteRegistry;
  /** last time the hub confirmed this copy (200 or 304) */
  refreshedAt: number;
}

type Problem = { status: 'missing' | 'invalid' | 'unreadable'; detail: string };

// How often a 304 is written through to the copy's timestamp (what a restart trusts it from).
const TOUCH_EVERY_MS = 60_000;

export class HubRegistrySource implements RegistrySource {
  state: RegistryState = { status: 'not_loaded' };
  prepared: PreparedRegistry | undefined;
  onUpdate: (() => void) | undefined;
  private good: GoodCopy | undefined;
  private problem: Problem | undefined;
  private inFlight: Promise<void> | undefined;
  private lastStartedAt = Number.NEGATIVE_INFINITY;
  private lastTouchedAt = 0;
  private stopped = false;
  private readonly abort = new AbortController();
  private readonly clock: Clock;
  private readonly signedFile: string;

  constructor(private readonly options: HubRegistrySourceOptions) {
    this.clock = options.clock ?? systemClock;
    this.onUpdate = options.onUpdate;
    this.signedFile = `${options.cacheFile}.signed.json`;
    this.loadCopy();
    this.updateState(this.clock());
  }

  /** Re-check at `now`: the state from the last fetch, and a new fetch in the background when one is due. */
  check(now: number): void {
    this.updateState(now);
    if (!this.inFlight && !this.stopped && now - this.lastStartedAt >= this.options.refreshEveryMs) {
      void this.refresh();
    }
  }

  /** Fetch once now (or join the fetch in flight). Never throws: problems end up in the state. */
  refresh(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.inFlight ??= this.fetchOnce().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  async idle(): Promise<void> {
    await this.inFlight;
  }

  /** No more fetches; one in flight is abandoned (its result is not applied). */
  stop(): void {
    this.stopped = true;
    this.abort.abort(new Error('registry source stopped'));
  }

  private async fetchOnce(): Promise<void> {
    const { options } = this;
    const log = options.logger;
    this.lastStartedAt = this.clock();
    const url = new URL(REGISTRY_PATH, options.hubUrl);
    const headers: Record<string, string> = {
      ...options.sign({ method: 'GET', path: url.pathname + url.search, body: new Uint8Array() }),
      accept: 'application/json',
    };
    if (this.good) headers['if-none-match'] = `"${this.good.signed.version}"`;
    const before = this.good?.signed.version;
    let changed = false;
    try {
      const response = await (options.fetch ?? fetch)(url, {
        headers,
        signal: AbortSignal.any([AbortSignal.timeout(options.timeoutMs), this.abort.signal]),
      });
      if (this.stopped) return;
      const now = this.clock();
      if (response.status === 304 && this.good) {
        this.good.refreshedAt = now;
        this.touchCopy(now);
        changed = this.problem !== undefined;
        this.problem = undefined;
      } else if (response.status === 200) {
        changed = this.accept(await response.text(), now);
      } else {
        const detail = `the hub answered ${response.status} to ${REGISTRY_PATH}: ${(await response.text()).slice(0, 300)}`;
        changed = this.fail(response.status === 404 ? 'missing' : 'unreadable', detail);
      }
    } catch (error) {
      if (this.stopped) return;
      changed = this.fail('unreadable', `cannot reach the hub at ${url.origin}: ${(error as Error).message}`);
    }
    this.updateState(this.clock());
    if (this.good?.signed.version !== before) {
      log?.info(
        { registryVersion: this.good?.signed.version, previous: before },
        'city registry updated from the hub',
      );
    }
    if (changed) this.onUpdate?.();
  }

  /** A 200 body: use it only once verified, and never one signed before the copy in use (a replay). */
  private accept(text: string, now: number): boolean {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return this.fail('invalid', 'the hub sent a registry that is not JSON');
    }
    const verdict = verifySignedRegistry(value, this.options.publicKey);
    if (!verdict.ok) return this.fail('invalid', `registry from the hub refused: ${verdict.reason}`);
    if (this.good && verdict.signed.signedAt < this.good.signed.signedAt) {
      return this.fail(
        'invalid',
        `registry from the hub refused: signed ${new Date(verdict.signed.signedAt).toISOString()}, before the copy in use`,
      );
    }
    try {
      writeAtomically(this.signedFile, text);
      writeAtomically(
        this.options.cacheFile,
        `${JSON.stringify(registryToGeoJson(verdict.registry), null, 1)}\n`,
      );
    } catch (error) {
      // The copy verified: use it, but a restart will not have it.
      this.options.logger?.error({ err: error }, 'could not keep the registry copy on disk');
    }
    const versionChanged = this.good?.signed.version !== verdict.signed.version;
    if (versionChanged || !this.prepared) this.prepared = prepareRegistry(verdict.registry);
    this.good = { signed: verdict.signed, registry: verdict.registry, refreshedAt: now };
    this.lastTouchedAt = now;
    this.problem = undefined;
    return true;
  }

  /** Record a failed refresh. With a good copy the gate keeps it until stale; without one it refuses. */
  private fail(status: Problem['status'], detail: string): boolean {
    const repeated = this.problem?.detail === detail;
    if (!repeated) {
      this.options.logger?.error(
        { detail, lastGoodVersion: this.good?.signed.version ?? null },
        this.good
          ? 'city registry not refreshed; keeping the last good copy until it is stale'
          : 'no city registry; no reads are stored',
      );
    }
    this.problem = { status, detail };
    return !repeated && !this.good;
  }

  private updateState(now: number): void {
    if (this.good) {
      this.state = { status: 'ok', version: this.good.signed.version, checkedAt: this.good.refreshedAt };
    } else if (this.problem) {
      this.state = { ...this.problem, checkedAt: now };
    } else this.state = { status: 'not_loaded' };
  }

  /** The copy kept by an earlier run, verified again (a file on disk is not trusted for being there). */
  private loadCopy(): void {
    let text: string;
    let mtime: number;
    try {
      text = readFileSync(this.signedFile, 'utf8');
      mtime = statSync(this.signedFile).mtimeMs;
    } catch {
      return; // none yet
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    const verdict = verifySignedRegistry(value, this.options.publicKey);
    if (!verdict.ok) {
      this.options.logger?.error(
        { file: this.signedFile, reason: verdict.reason },
        'kept registry copy refused',
      );
      return;
    }
    this.good = { signed: verdict.signed, registry: verdict.registry, refreshedAt: Math.floor(mtime) };
    this.prepared = prepareRegistry(verdict.registry);
  }

  private touchCopy(now: number): void {
    if (now - this.lastTouchedAt < TOUCH_EVERY_MS) return;
    this.lastTouchedAt = now;
    try {
      utimesSync(this.signedFile, new Date(now), new Date(now));
    } catch (error) {
      this.options.logger?.warn({ err: error }, 'could not stamp the registry copy');
    }
  }
}

/** Write `text` aside, flush it, rename it over `file`: readers see the old file or the new one. */
function writeAtomically(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}
