// Schema migrations keyed on PRAGMA user_version: migration N moves the file from version N-1 to N.
// Each runs in one transaction; a file newer than this code is refused rather than guessed at.
import type Database from 'better-sqlite3';
import { MIGRATION_2 } from './migration-2.js';
import { StoreOpenError } from './store-open-error.js';

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'cameras, verdicts, reads, holds, audit chain',
    sql: `
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE cameras (
        id            TEXT PRIMARY KEY,
        config_hash   TEXT NOT NULL,
        config        TEXT NOT NULL,            -- canonical JSON, credentials redacted
        first_seen_at INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE compliance_verdicts (
        id               INTEGER PRIMARY KEY,
        camera_id        TEXT NOT NULL REFERENCES cameras(id),
        camera_hash      TEXT NOT NULL,
        registry_version TEXT NOT NULL,
        compliant        INTEGER NOT NULL CHECK (compliant IN (0, 1)),
        violations       TEXT NOT NULL DEFAULT '[]',  -- JSON array of offending sites
        evaluated_at     INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX compliance_verdicts_camera ON compliance_verdicts (camera_id, id);

      CREATE TABLE reads (
        id               INTEGER PRIMARY KEY,
        camera_id        TEXT NOT NULL REFERENCES cameras(id),
        plate            TEXT NOT NULL,
        raw_text         TEXT NOT NULL,
        confidence       REAL NOT NULL CHECK (confidence BETWEEN 0 AND 1),
        char_confidences TEXT NOT NULL,         -- JSON array of numbers, one per plate character
        captured_at      INTEGER NOT NULL,      -- ms since epoch, UTC
        box_x            INTEGER NOT NULL,
        box_y            INTEGER NOT NULL,
        box_w            INTEGER NOT NULL,
        box_h            INTEGER NOT NULL,
        crop_path        TEXT,
        model_id         TEXT NOT NULL,
        verdict_id       INTEGER NOT NULL REFERENCES compliance_verdicts(id),
        evidence         TEXT NOT NULL DEFAULT '{}',  -- JSON: frames seen, per-frame reads
        stored_at        INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX reads_captured_at ON reads (captured_at);
      CREATE INDEX reads_camera_captured ON reads (camera_id, captured_at);
      -- Deliberately no index on plate: plates arrive in random order, so a plate-ordered index makes every
      -- purge chunk rewrite pages scattered over the whole index (bench:purge, 1M rows: ~22k rows/s with it,
      -- ~110k without). Edge lookups by plate are bounded by camera and time (holds); the access phase will
      -- add its search path in its own migration, with the purge benchmark re-run.

      -- Defence in depth for the geofence: the store itself refuses a read whose verdict is missing,
      -- non-compliant or for another camera, whatever the caller does.
      CREATE TRIGGER reads_require_compliant_verdict BEFORE INSERT ON reads
      WHEN NOT EXISTS (
        SELECT 1 FROM compliance_verdicts v
        WHERE v.id = NEW.verdict_id AND v.compliant = 1 AND v.camera_id = NEW.camera_id
      )
      BEGIN
        SELECT RAISE(ABORT, 'read refused: no compliant verdict for this camera');
      END;

      CREATE TABLE holds (
        id             INTEGER PRIMARY KEY,
        case_number    TEXT NOT NULL CHECK (length(trim(case_number)) > 0),
        crime_type     TEXT NOT NULL CHECK (length(trim(crime_type)) > 0),
        reason         TEXT NOT NULL CHECK (length(trim(reason)) > 0),
        requested_by   TEXT NOT NULL CHECK (length(trim(requested_by)) > 0),
        approved_by    TEXT NOT NULL CHECK (length(trim(approved_by)) > 0 AND approved_by <> requested_by),
        scope          TEXT NOT NULL,          -- JSON: { readIds } or { cameraId, from, to, plate? }
        created_at     INTEGER NOT NULL,
        review_by      INTEGER,
        released_at    INTEGER,
        released_by    TEXT,
        release_reason TEXT,
        CHECK ((released_at IS NULL) = (released_by IS NULL))
      ) STRICT;

      CREATE TABLE hold_reads (
        hold_id INTEGER NOT NULL REFERENCES holds(id),
        read_id INTEGER NOT NULL REFERENCES reads(id) ON DELETE CASCADE,
        PRIMARY KEY (hold_id, read_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX hold_reads_read ON hold_reads (read_id);

      -- Defence in depth for evidentiary holds: no code path can delete a read under an active hold.
      CREATE TRIGGER reads_protect_held BEFORE DELETE ON reads
      WHEN EXISTS (
        SELECT 1 FROM hold_reads hr JOIN holds h ON h.id = hr.hold_id
        WHERE hr.read_id = OLD.id AND h.released_at IS NULL
      )
      BEGIN
        SELECT RAISE(ABORT, 'read is under an active evidentiary hold');
      END;

      CREATE TRIGGER holds_no_delete BEFORE DELETE ON holds
      BEGIN
        SELECT RAISE(ABORT, 'holds are never deleted; release them');
      END;

      CREATE TRIGGER holds_release_once BEFORE UPDATE ON holds
      WHEN OLD.released_at IS NOT NULL
      BEGIN
        SELECT RAISE(ABORT, 'a released hold cannot change');
      END;

      CREATE TABLE audit_events (
        seq       INTEGER PRIMARY KEY AUTOINCREMENT,
        at        INTEGER NOT NULL,           -- ms since epoch, UTC
        kind      TEXT NOT NULL,
        actor     TEXT NOT NULL,
        payload   TEXT NOT NULL,              -- canonical JSON
        prev_hash TEXT NOT NULL,
        hash      TEXT NOT NULL UNIQUE
      ) STRICT;
      CREATE INDEX audit_events_kind ON audit_events (kind, seq);

      CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
      BEGIN
        SELECT RAISE(ABORT, 'audit_events is append-only');
      END;
      CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
      BEGIN
        SELECT RAISE(ABORT, 'audit_events is append-only');
      END;
    `,
  },
  MIGRATION_2,
  {
    version: 3,
    description: 'crop directories per read, future capture times refused, stored_at high-water mark',
    sql: `
      -- Where each crop was written: store.cropsDir may change, and the purge must still find old crops.
      CREATE TABLE crop_dirs (
        id            INTEGER PRIMARY KEY,
        path          TEXT NOT NULL UNIQUE CHECK (substr(path, 1, 1) = '/'),  -- absolute
        first_used_at INTEGER NOT NULL
      ) STRICT;
      CREATE TRIGGER crop_dirs_no_delete BEFORE DELETE ON crop_dirs
      BEGIN
        SELECT RAISE(ABORT, 'crop directories are never forgotten (old crops must stay findable)');
      END;
      CREATE TRIGGER crop_dirs_no_update BEFORE UPDATE ON crop_dirs
      BEGIN
        SELECT RAISE(ABORT, 'crop directories are never forgotten (old crops must stay findable)');
      END;
      -- NULL for reads without a crop, and for crops stored before this migration (store.cropsDir).
      ALTER TABLE reads ADD COLUMN crop_dir_id INTEGER REFERENCES crop_dirs(id);

      -- A read stamped more than ingest.maxClockSkewS ahead of its store time would outlive retention.
      -- The edge writes the configured bound into meta; 120 s when it has not.
      CREATE TRIGGER reads_refuse_future_capture BEFORE INSERT ON reads
      WHEN NEW.captured_at > NEW.stored_at + COALESCE(
        (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'ingest.maxClockSkewMs'), 120000)
      BEGIN
        SELECT RAISE(ABORT, 'read refused: capture time is ahead of the store time by more than ingest.maxClockSkewS');
      END;

      -- The newest stored_at ever seen, kept after the reads are purged: a purge whose clock is earlier
      -- has a clock that went backwards (see shared/policy/clock-skew.ts).
      INSERT INTO meta (key, value)
        SELECT 'reads.maxStoredAt', CAST(COALESCE(max(stored_at), 0) AS TEXT) FROM reads;
      CREATE TRIGGER reads_stored_at_high_water AFTER INSERT ON reads
      BEGIN
        UPDATE meta SET value = CAST(NEW.stored_at AS TEXT)
        WHERE key = 'reads.maxStoredAt' AND CAST(value AS INTEGER) < NEW.stored_at;
      END;
    `,
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Bring the database up to LATEST_VERSION; returns the versions applied. */
export function migrate(db: Database.Database): number[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > LATEST_VERSION) {
    throw new StoreOpenError(
      db.name,
      'newer',
      `database schema version ${current} is newer than this software supports (${LATEST_VERSION}); upgrade alpr`,
    );
  }
  if (current === 0) refuseForeignDatabase(db);
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    // Re-read the version inside the write lock: another process may have migrated meanwhile.
    db.transaction(() => {
      const now = db.pragma('user_version', { simple: true }) as number;
      if (now >= migration.version) return;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
      applied.push(migration.version);
    }).immediate();
  }
  return applied;
}

/** Version 0 is an empty file, or a SQLite database of some other program: never create tables in that. */
function refuseForeignDatabase(db: Database.Database): void {
  const tables = db
    .prepare("SELECT count(*) AS n FROM sqlite_master WHERE type IN ('table', 'view', 'trigger', 'index')")
    .get() as { n: number };
  if (tables.n > 0) {
    throw new StoreOpenError(
      db.name,
      'not-alpr',
      'this SQLite database is not an alpr store (schema version 0 but it already has tables); refusing to add ours',
    );
  }
}
