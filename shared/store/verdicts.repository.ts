// Compliance verdicts: one row per evaluation of a camera against a registry version.
import type Database from 'better-sqlite3';

export interface VerdictViolation {
  siteId: string;
  category: string;
  distanceM: number;
  overlapM2: number;
}

export interface VerdictRecord {
  id: number;
  cameraId: string;
  cameraHash: string;
  registryVersion: string;
  compliant: boolean;
  violations: VerdictViolation[];
  evaluatedAt: number;
}

export type NewVerdict = Omit<VerdictRecord, 'id'>;

interface Raw {
  id: number;
  camera_id: string;
  camera_hash: string;
  registry_version: string;
  compliant: number;
  violations: string;
  evaluated_at: number;
}
const toRecord = (r: Raw): VerdictRecord => ({
  id: r.id,
  cameraId: r.camera_id,
  cameraHash: r.camera_hash,
  registryVersion: r.registry_version,
  compliant: r.compliant === 1,
  violations: JSON.parse(r.violations) as VerdictViolation[],
  evaluatedAt: r.evaluated_at,
});

export class VerdictsRepository {
  private readonly insertStmt: Database.Statement;
  private readonly getStmt: Database.Statement<[number], Raw>;
  private readonly latestStmt: Database.Statement<[string], Raw>;

  constructor(db: Database.Database) {
    this.insertStmt = db.prepare(`INSERT INTO compliance_verdicts
      (camera_id, camera_hash, registry_version, compliant, violations, evaluated_at) VALUES (?, ?, ?, ?, ?, ?)`);
    this.getStmt = db.prepare('SELECT * FROM compliance_verdicts WHERE id = ?');
    this.latestStmt = db.prepare(
      'SELECT * FROM compliance_verdicts WHERE camera_id = ? ORDER BY id DESC LIMIT 1',
    );
  }

  insert(v: NewVerdict): number {
    const info = this.insertStmt.run(
      v.cameraId,
      v.cameraHash,
      v.registryVersion,
      v.compliant ? 1 : 0,
      JSON.stringify(v.violations),
      v.evaluatedAt,
    );
    return Number(info.lastInsertRowid);
  }

  get(id: number): VerdictRecord | undefined {
    const row = this.getStmt.get(id);
    return row ? toRecord(row) : undefined;
  }

  latestFor(cameraId: string): VerdictRecord | undefined {
    const row = this.latestStmt.get(cameraId);
    return row ? toRecord(row) : undefined;
  }
}
