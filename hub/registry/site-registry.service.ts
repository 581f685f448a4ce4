// The city's one sensitive-site registry at the hub: import (validated by shared/geofence exactly as
// `alpr sites import` validates, signed with the hub key, kept with every earlier version, audited in the
// same transaction) and the current signed copy edges fetch. No site names ever reach the signed copy or
// the audit chain.
import { AuditKind } from '../../shared/audit/audit-log.js';
import type { HeadSigningKey } from '../../shared/audit/signing-key.js';
import { sha256Hex } from '../../shared/canonical-json.js';
import { signRegistry } from '../../shared/crypto/signed-registry.js';
import {
  parseSiteRegistry,
  type RegistryProblem,
  registryToGeoJson,
  type SiteRegistry,
} from '../../shared/geofence/site-registry.js';
import type { HubAuditLog } from '../audit/hub-audit-log.js';
import type { HubDb, HubSql } from '../db/hub-db.js';

export interface RegistryVersionRecord {
  seq: number;
  version: string;
  /** the exact JSON body edges are served */
  envelope: string;
  signedAt: number;
  keyId: string;
  sites: number;
  entrances: number;
  counts: Record<string, number>;
  namesStored: boolean;
  sourceSha256: string;
  importedBy: string;
  importedAt: number;
}

export type ImportResult =
  | { ok: false; problems: RegistryProblem[] }
  | { ok: true; changed: false; current: RegistryVersionRecord; dryRun: boolean }
  | {
      ok: true;
      changed: true;
      record: RegistryVersionRecord;
      previousVersion: string | null;
      dryRun: boolean;
    };

interface Raw {
  seq: number;
  version: string;
  envelope: string;
  signed_at: Date;
  key_id: string;
  sites: number;
  entrances: number;
  counts: Record<string, number>;
  names_stored: boolean;
  source_sha256: string;
  imported_by: string;
  imported_at: Date;
}

const toRecord = (r: Raw): RegistryVersionRecord => ({
  seq: r.seq,
  version: r.version,
  envelope: r.envelope,
  signedAt: r.signed_at.getTime(),
  keyId: r.key_id,
  sites: r.sites,
  entrances: r.entrances,
  counts: r.counts,
  namesStored: r.names_stored,
  sourceSha256: r.source_sha256,
  importedBy: r.imported_by,
  importedAt: r.imported_at.getTime(),
});

const COLUMNS = `seq, version, envelope, signed_at, key_id, sites, entrances, counts, names_stored, source_sha256,
  imported_by, imported_at`;

export class SiteRegistryService {
  constructor(
    private readonly db: HubDb,
    private readonly audit: HubAuditLog,
    private readonly signing: Pick<HeadSigningKey, 'privateKey'>,
  ) {}

  /**
   * Import registry `text` (GeoJSON) at `now` for `importedBy`. A registry identical to the current one
   * (same sites, same names) changes nothing; otherwise it becomes the current version, signed.
   */
  async import(
    text: string,
    options: { importedBy: string; now: number; stripNames?: boolean; dryRun?: boolean },
  ): Promise<ImportResult> {
    if (!parseSiteRegistry(text).ok) return this.importIn(this.db, text, options);
    return this.db.transaction((tx) => this.importIn(tx, text, options));
  }

  /**
   * `import` inside the caller's transaction `tx`, so an action that causes an import (an approved
   * registry proposal) commits together with it.
   */
  async importIn(
    tx: HubSql,
    text: string,
    options: { importedBy: string; now: number; stripNames?: boolean; dryRun?: boolean },
  ): Promise<ImportResult> {
    const parsed = parseSiteRegistry(text);
    if (!parsed.ok) return { ok: false, problems: parsed.problems };
    const registry: SiteRegistry = options.stripNames
      ? { ...parsed.registry, sites: parsed.registry.sites.map(({ name: _name, ...site }) => site) }
      : parsed.registry;
    const named = registryToGeoJson(registry, { names: true });
    const namesStored = registry.sites.some((s) => s.name !== undefined);
    // One import at a time: the "previous version" each one records is the one it replaced.
    await tx.query('LOCK TABLE site_registry_versions IN SHARE ROW EXCLUSIVE MODE');
    const current = await this.latest(tx);
    if (current && current.version === registry.version) {
      const stored = await tx.query<{ same: boolean }>(
        'SELECT registry = $2::jsonb AS same FROM site_registry_versions WHERE seq = $1',
        [current.seq, JSON.stringify(named)],
      );
      if (stored[0]?.same) return { ok: true, changed: false, current, dryRun: options.dryRun ?? false };
    }
    const signed = signRegistry(registry, options.now, this.signing.privateKey);
    const envelope = JSON.stringify(signed);
    const draft = {
      version: registry.version,
      envelope,
      signedAt: signed.signedAt,
      keyId: signed.keyId,
      sites: registry.sites.length,
      entrances: registry.entranceCount,
      counts: registry.counts,
      namesStored,
      sourceSha256: sha256Hex(Buffer.from(text, 'utf8')),
      importedBy: options.importedBy,
      importedAt: options.now,
    };
    if (options.dryRun) {
      return {
        ok: true,
        changed: true,
        record: { seq: 0, ...draft },
        previousVersion: current?.version ?? null,
        dryRun: true,
      };
    }
    const rows = await tx.query<Raw>(
      `INSERT INTO site_registry_versions (version, envelope, signed_at, key_id, registry, sites, entrances, counts,
         names_stored, source_sha256, imported_by, imported_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${COLUMNS}`,
      [
        draft.version,
        envelope,
        new Date(draft.signedAt),
        draft.keyId,
        JSON.stringify(named),
        draft.sites,
        draft.entrances,
        JSON.stringify(draft.counts),
        namesStored,
        draft.sourceSha256,
        draft.importedBy,
        new Date(draft.importedAt),
      ],
    );
    const record = toRecord(rows[0]!);
    await this.audit.append(
      tx,
      {
        kind: AuditKind.sitesImported,
        actor: options.importedBy,
        payload: {
          registrySeq: record.seq,
          registryVersion: record.version,
          previousVersion: current?.version ?? null,
          sites: record.sites,
          counts: record.counts,
          entrances: record.entrances,
          namesStored,
          signedAt: new Date(record.signedAt).toISOString(),
          keyId: record.keyId,
          sourceSha256: record.sourceSha256,
        },
      },
      options.now,
    );
    return { ok: true, changed: true, record, previousVersion: current?.version ?? null, dryRun: false };
  }

  /** The version edges are served now, if any registry was imported. */
  current(): Promise<RegistryVersionRecord | undefined> {
    return this.latest(this.db);
  }

  /** Every version, newest first. */
  async history(limit = 100): Promise<RegistryVersionRecord[]> {
    const rows = await this.db.query<Raw>(
      `SELECT ${COLUMNS} FROM site_registry_versions ORDER BY seq DESC LIMIT $1`,
      [limit],
    );
    return rows.map(toRecord);
  }

  /** The registry of version `seq` as imported (names included when they were): for planners only. */
  async namedRegistry(seq: number): Promise<Record<string, unknown> | undefined> {
    const rows = await this.db.query<{ registry: Record<string, unknown> }>(
      'SELECT registry FROM site_registry_versions WHERE seq = $1',
      [seq],
    );
    return rows[0]?.registry;
  }

  private async latest(sql: HubSql): Promise<RegistryVersionRecord | undefined> {
    const rows = await sql.query<Raw>(
      `SELECT ${COLUMNS} FROM site_registry_versions ORDER BY seq DESC LIMIT 1`,
    );
    return rows[0] ? toRecord(rows[0]) : undefined;
  }
}
