// Cameras known to the store; a row changes when the camera's geometry/config hash changes.
import type Database from 'better-sqlite3';

export interface CameraRecord {
  id: string;
  configHash: string;
  /** Canonical JSON of the camera config, credentials redacted. */
  config: string;
  firstSeenAt: number;
  updatedAt: number;
}

interface Raw {
  id: string;
  config_hash: string;
  config: string;
  first_seen_at: number;
  updated_at: number;
}
const toRecord = (r: Raw): CameraRecord => ({
  id: r.id,
  configHash: r.config_hash,
  config: r.config,
  firstSeenAt: r.first_seen_at,
  updatedAt: r.updated_at,
});

export class CamerasRepository {
  private readonly getStmt: Database.Statement<[string], Raw>;
  private readonly listStmt: Database.Statement<[], Raw>;
  private readonly upsertStmt: Database.Statement;

  constructor(db: Database.Database) {
    this.getStmt = db.prepare('SELECT * FROM cameras WHERE id = ?');
    this.listStmt = db.prepare('SELECT * FROM cameras ORDER BY id');
    this.upsertStmt = db.prepare(`
      INSERT INTO cameras (id, config_hash, config, first_seen_at, updated_at) VALUES (@id, @configHash, @config, @now, @now)
      ON CONFLICT(id) DO UPDATE SET config_hash = excluded.config_hash, config = excluded.config,
        updated_at = excluded.updated_at
      WHERE cameras.config_hash <> excluded.config_hash`);
  }

  /** Insert or update; returns true when the stored hash changed (new camera or re-aimed). */
  upsert(camera: { id: string; configHash: string; config: string }, now: number): boolean {
    return (
      this.upsertStmt.run({ id: camera.id, configHash: camera.configHash, config: camera.config, now })
        .changes > 0
    );
  }

  get(id: string): CameraRecord | undefined {
    const row = this.getStmt.get(id);
    return row ? toRecord(row) : undefined;
  }

  list(): CameraRecord[] {
    return this.listStmt.all().map(toRecord);
  }
}
