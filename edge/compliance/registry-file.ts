// Reads the site registry file for the gate: bytes, their hash, and (only when the bytes changed) the
// parsed and indexed registry. Makes no policy decision: a missing or invalid file is reported as a
// RegistryState, and the pure gateDecision() decides what that means for storing reads.
import { readFileSync } from 'node:fs';
import { sha256Hex } from '../../shared/canonical-json.js';
import type { RegistryState } from '../../shared/geofence/gate-decision.js';
import { parseSiteRegistry, type SiteRegistry } from '../../shared/geofence/site-registry.js';
import { type PreparedRegistry, prepareRegistry } from '../../shared/geofence/verdict.js';
import type { Logger } from '../../shared/logging/logger.js';

export type RegistryRead =
  | { status: 'ok'; fileHash: string; registry: SiteRegistry }
  | { status: 'unchanged'; fileHash: string }
  | { status: 'missing' | 'invalid' | 'unreadable'; fileHash?: string; detail: string };

/**
 * Read `file`; when its bytes hash to `knownHash` the parse is skipped. Invalid content names the
 * first few problems (the full list comes from `alpr sites import`).
 */
export function readRegistryFile(file: string, knownHash?: string): RegistryRead {
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
  const parsed = parseSiteRegistry(bytes.toString('utf8'));
  if (!parsed.ok) {
    const shown = parsed.problems.slice(0, 3).map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
    const more = parsed.problems.length > 3 ? ` (and ${parsed.problems.length - 3} more)` : '';
    return {
      status: 'invalid',
      fileHash,
      detail: `invalid site registry ${file}: ${shown.join('; ')}${more}`,
    };
  }
  return { status: 'ok', fileHash, registry: parsed.registry };
}

/** The registry as last read from disk, re-parsed and re-indexed only when the file's bytes change. */
export class RegistryTracker {
  state: RegistryState = { status: 'not_loaded' };
  prepared: PreparedRegistry | undefined;
  private fileHash: string | undefined;

  constructor(
    private readonly file: string,
    private readonly logger?: Logger,
  ) {}

  /** Re-read the file at `now`. */
  check(now: number): void {
    const read = readRegistryFile(this.file, this.fileHash);
    const log = this.logger;
    if (read.status === 'unchanged') {
      this.state = { ...this.state, checkedAt: now } as RegistryState;
      return;
    }
    this.fileHash = read.fileHash;
    if (read.status === 'ok') {
      const previous = this.state.status === 'ok' ? this.state.version : undefined;
      if (previous !== read.registry.version) {
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
