// SQL for the searches table (migration 25): one row per search attempt, whatever its outcome, and the
// command decision on a pending one. Rows are written only inside the caller's transaction, next to the
// audit entry of the same attempt.
import type { HubSql } from '../db/hub-db.js';

export type SearchOutcome = 'allowed' | 'refused' | 'blocked' | 'pending' | 'denied';
export type PlateMode = 'exact' | 'folded' | 'partial';

export interface NewSearchRow {
  userId: number;
  username: string;
  agencyId: number;
  platePattern: string | null;
  plateMode: PlateMode | null;
  from: number | null;
  to: number | null;
  cameras: string[] | null;
  area: unknown;
  crimeType: string | null;
  caseNumber: string | null;
  justification: string | null;
  outcome: SearchOutcome;
  category: string | null;
  lexiconVersion: string;
  noticeHash: string | null;
  sensitiveState: 'not_needed' | 'pending';
  sensitiveSites: unknown;
  clientAddress: string | null;
}

export interface SearchRecord {
  id: number;
  userId: number;
  username: string;
  agencyId: number;
  plate: string | null;
  plateMode: PlateMode | null;
  partial: boolean;
  from: string | null;
  to: string | null;
  cameras: string[] | null;
  crimeType: string | null;
  caseNumber: string | null;
  justification: string | null;
  outcome: SearchOutcome;
  category: string | null;
  lexiconVersion: string;
  noticeHash: string | null;
  sensitiveState: 'not_needed' | 'pending' | 'approved' | 'denied';
  sensitiveSites: unknown;
  createdAt: string;
}

interface Raw {
  id: number;
  user_id: number;
  username: string;
  agency_id: number;
  plate_pattern: string | null;
  plate_mode: PlateMode | null;
  partial_flag: boolean;
  from_at: Date | null;
  to_at: Date | null;
  cameras: string[] | null;
  crime_type: string | null;
  case_number: string | null;
  justification: string | null;
  outcome: SearchOutcome;
  category: string | null;
  lexicon_version: string;
  notice_hash: string | null;
  sensitive_state: SearchRecord['sensitiveState'];
  sensitive_sites: unknown;
  created_at: Date;
}

const toRecord = (r: Raw): SearchRecord => ({
  id: r.id,
  userId: r.user_id,
  username: r.username,
  agencyId: r.agency_id,
  plate: r.plate_pattern,
  plateMode: r.plate_mode,
  partial: r.partial_flag,
  from: r.from_at ? r.from_at.toISOString() : null,
  to: r.to_at ? r.to_at.toISOString() : null,
  cameras: r.cameras,
  crimeType: r.crime_type,
  caseNumber: r.case_number,
  justification: r.justification,
  outcome: r.outcome,
  category: r.category,
  lexiconVersion: r.lexicon_version,
  noticeHash: r.notice_hash,
  sensitiveState: r.sensitive_state,
  sensitiveSites: r.sensitive_sites,
  createdAt: r.created_at.toISOString(),
});

const COLUMNS = `id, user_id, username, agency_id, plate_pattern, plate_mode, partial_flag, from_at, to_at, cameras,
  crime_type, case_number, justification, outcome, category, lexicon_version, notice_hash, sensitive_state,
  sensitive_sites, created_at`;

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
const date = (ms: number | null) => (ms === null ? null : new Date(ms));

export class SearchesRepository {
  async insert(sql: HubSql, row: NewSearchRow, now: number): Promise<number> {
    const rows = await sql.query<{ id: number }>(
      `INSERT INTO searches (user_id, username, agency_id, plate_pattern, plate_mode, partial_flag, from_at, to_at,
         cameras, area, crime_type, case_number, justification, outcome, category, lexicon_version, notice_hash,
         sensitive_state, sensitive_sites, client_address, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
       RETURNING id`,
      [
        row.userId,
        row.username,
        row.agencyId,
        row.platePattern,
        row.plateMode,
        row.plateMode === 'partial',
        date(row.from),
        date(row.to),
        json(row.cameras),
        json(row.area),
        row.crimeType,
        row.caseNumber,
        row.justification,
        row.outcome,
        row.category,
        row.lexiconVersion,
        row.noticeHash,
        row.sensitiveState,
        json(row.sensitiveSites),
        row.clientAddress,
        new Date(now),
      ],
    );
    return rows[0]!.id;
  }

  async get(
    sql: HubSql,
    id: number,
    options: { forUpdate?: boolean } = {},
  ): Promise<SearchRecord | undefined> {
    const rows = await sql.query<Raw>(
      `SELECT ${COLUMNS} FROM searches WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /** A user's own searches, newest first. */
  async listForUser(sql: HubSql, userId: number, limit: number): Promise<SearchRecord[]> {
    const rows = await sql.query<Raw>(
      `SELECT ${COLUMNS} FROM searches WHERE user_id = $1 ORDER BY id DESC LIMIT $2`,
      [userId, limit],
    );
    return rows.map(toRecord);
  }

  /** A pending search is approved (it may run) or denied, once. */
  async decide(
    sql: HubSql,
    id: number,
    decision: { approve: boolean; byId: number; by: string; reason: string },
    now: number,
  ): Promise<void> {
    await sql.query(
      `INSERT INTO search_approvals (search_id, decided_by_id, decided_by, approve, reason, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, decision.byId, decision.by, decision.approve, decision.reason, new Date(now)],
    );
    await sql.query(`UPDATE searches SET outcome = $2, sensitive_state = $3 WHERE id = $1`, [
      id,
      decision.approve ? 'allowed' : 'denied',
      decision.approve ? 'approved' : 'denied',
    ]);
  }

  async alert(
    sql: HubSql,
    alert: {
      kind: string;
      agencyId: number;
      userId: number;
      username: string;
      searchId: number;
      category: string;
      detail: Record<string, unknown>;
    },
    now: number,
  ): Promise<void> {
    await sql.query(
      `INSERT INTO compliance_alerts (kind, agency_id, user_id, username, search_id, category, detail, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        alert.kind,
        alert.agencyId,
        alert.userId,
        alert.username,
        alert.searchId,
        alert.category,
        JSON.stringify(alert.detail),
        new Date(now),
      ],
    );
  }
}
