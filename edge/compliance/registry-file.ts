// Reads the site registry file for the gate: bytes, their hash, and (only when the bytes changed) the
// parsed and indexed registry. A large file is validated in a worker thread (registry-parser.ts); until
// it is, the state is `loading` and every camera refuses. Makes no policy decision: a missing or invalid
// file is reported as a RegistryState, and the pure gateDecision() decides what that means.
import { readFileSync } from 'node:fs';
import { sha256Hex } from '../../shared/canonical-json.js';
import type { RegistryState } from '../../shared/geofence/gate-decision.js';
import type { RegistryResult, SiteRegistry } from '../../shared/geofence/site-registry.js';
import { type PreparedRegistry, prepareRegistry } from '../../shared/geofence/verdict.js';
import type { Logger } from '../../shared/logging/logger.js';
import { INLINE_PARSE_MAX_BYTES, parseRegistryInline, parseRegistryInWorker } from './registry-parser.js';

export type RegistryRead =
  | { status: 'ok'; fileHash: string; registry: SiteRegistry }
  | { status: 'unchanged'; fileHash: string }
  | { status: 'missing' | 'invalid' | 'unreadable'; fileHash?: string; detail: string };

type FileRead =
  | { status: 'bytes'; fileHash: string; bytes: Buffer }
  | { status: 'unchanged'; fileHash: string }
  | { status: 'missing' | 'unreadable'; detail: string };

function readBytes(file: string, knownHash?: string): FileRead {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      return {
        status: 'missing',
        detail: `no site registry at ${file}: import one with \`alpr sites import FILE\` (an empty FeatureCollection states there are no sites)`,
      };
    }
    return { status: 'unreadable', detail: `cannot read site registry ${file}: ${(error as Error).message}` };
  }
  const fileHash = sha256Hex(bytes);
  if (fileHash === knownHash) return { status: 'unchanged', fileHash };
  return { status: 'bytes', fileHash, bytes };
}

function toRead(file: string, fileHash: string, parsed: RegistryResult): RegistryRead {
  if (parsed.ok) return { status: 'ok', fileHash, registry: parsed.registry };
  const shown = parsed.problems.slice(0, 3).map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
  const more = parsed.problems.length > 3 ? ` (and ${parsed.problems.length - 3} more)` : '';
  return { status: 'invalid', fileHash, detail: `invalid site registry ${file}: ${shown.join('; ')}${more}` };
}

/**
 * Read `file` and validate it on this thread; when its bytes hash to `knownHash` the parse is skipped.
 * Invalid content names the first few problems (the full list comes from `alpr sites import`).
 */
export function readRegistryFile(file: string, knownHash?: string): RegistryRead {
  const read = readBytes(file, knownHash);
  if (read.status !== 'bytes') return read;
  return toRead(file, read.fileHash, parseRegistryInline(read.bytes.toString('utf8')));
}

/** Where the gate's registry comes from: this file (RegistryTracker), or the hub (registry-hub.ts). */
export interface RegistrySource {
  readonly state: RegistryState;
  readonly prepared: PreparedRegistry | undefined;
  /** Re-check at `now`; synchronous (work that takes longer runs in the background). */
  check(now: number): void;
  /** Resolves once no background work is running. */
  idle(): Promise<void>;
  /** Stop background work; the gate stops using the source. */
  stop(): void;
}

/** The registry as last read from disk, re-parsed and re-indexed only when the file's bytes change. */
export class RegistryTracker implements RegistrySource {
  state: RegistryState = { status: 'not_loaded' };
  prepared: PreparedRegistry | undefined;
  private fileHash: string | undefined;
  private inFlight: { fileHash: string; done: Promise<void>; cancel: () => void } | undefined;
  private stopped = false;

  constructor(
    private readonly file: string,
    private readonly options: {
      logger?: Logger;
      /** Called when a validation that ran off-thread has been applied (the gate re-checks then). */
      onLoaded?: () => void;
      /** Files larger than this are validated in a worker thread (default 64 KiB). */
      inlineMaxBytes?: number;
    } = {},
  ) {}

  /** Re-read the file at `now`: cheap when unchanged (one read and hash). */
  check(now: number): void {
    const read = readBytes(this.file, this.inFlight?.fileHash ?? this.fileHash);
    if (read.status === 'unchanged') {
      this.state = { ...this.state, checkedAt: now } as RegistryState;
      return;
    }
    this.inFlight?.cancel();
    this.inFlight = undefined;
    if (read.status !== 'bytes') {
      this.apply(read, now);
      return;
    }
    const text = read.bytes.toString('utf8');
    if (read.bytes.length <= (this.options.inlineMaxBytes ?? INLINE_PARSE_MAX_BYTES)) {
      this.apply(toRead(this.file, read.fileHash, parseRegistryInline(text)), now);
      return;
    }
    this.state = { status: 'loading', checkedAt: now, since: now };
    this.prepared = undefined;
    const job = parseRegistryInWorker(text);
    const flight = {
      fileHash: read.fileHash,
      cancel: job.cancel,
      done: job.result.then((parsed) => {
        if (this.inFlight !== flight || this.stopped) return;
        this.inFlight = undefined;
        const checkedAt = this.state.status === 'not_loaded' ? now : this.state.checkedAt;
        this.apply(toRead(this.file, read.fileHash, parsed), checkedAt);
        this.options.onLoaded?.();
      }),
    };
    this.inFlight = flight;
    this.options.logger?.info(
      { bytes: read.bytes.length },
      'site registry changed; validating it in a worker thread (cameras refuse until it is done)',
    );
  }

  /** Resolves once no off-thread validation is running. */
  async idle(): Promise<void> {
    while (this.inFlight) await this.inFlight.done;
  }

  stop(): void {
    this.stopped = true;
    this.inFlight?.cancel();
    this.inFlight = undefined;
  }

  private apply(read: RegistryRead, now: number): void {
    const log = this.options.logger;
    if (read.status === 'unchanged') return;
    this.fileHash = read.fileHash;
    if (read.status === 'ok') {
      const previous = this.prepared ? this.prepared.registry.version : undefined;
      if (previous !== read.registry.version || !this.prepared) {
        this.prepared = prepareRegistry(read.registry);
        log?.info(
          { registryVersion: read.registry.version, previous, sites: read.registry.sites.length },
          'site registry loaded; re-evaluating every camera',
        );
      }
      this.state = { status: 'ok', version: read.registry.version, checkedAt: now };
      return;
    }
    if (this.state.status !== read.status)
      log?.error({ detail: read.detail }, 'site registry unusable; no reads are stored');
    this.prepared = undefined;
    this.state = { status: read.status, detail: read.detail, checkedAt: now };
  }
}
