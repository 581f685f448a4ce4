// Reading the access log (AUD-01, AC-03): auditors see the entries of their own agency (the payload's
// agency ORI), newest first, filtered by kind, user and time. Read-only: no route anywhere edits or
// deletes an entry.
import type { HubSql } from '../db/hub-db.js';

export interface AccessLogFilter {
  /** exact kind, or a prefix ending in "." (e.g. "search.") */
  kind?: string;
  user?: string;
  from?: number;
  to?: number;
  beforeSeq?: number;
  limit: number;
}

export interface AccessLogEntry {
  seq: number;
  at: string;
  kind: string;
  actor: string;
  payload: Record<string, unknown>;
  hash: string;
}

export async function listAccessLog(
  sql: HubSql,
  agencyOri: string,
  filter: AccessLogFilter,
): Promise<AccessLogEntry[]> {
  const kindExact = filter.kind && !filter.kind.endsWith('.') ? filter.kind : null;
  const kindPrefix = filter.kind?.endsWith('.') ? `${filter.kind.replace(/[\\%_]/g, '\\$&')}%` : null;
  const rows = await sql.query<{
    seq: number;
    at: number;
    kind: string;
    actor: string;
    payload: string;
    hash: string;
  }>(
    `SELECT seq, at, kind, actor, payload, hash FROM audit_events
      WHERE payload::jsonb ->> 'agency' = $1
        AND ($2::text IS NULL OR kind = $2)
        AND ($3::text IS NULL OR kind LIKE $3)
        AND ($4::text IS NULL OR actor = $4)
        AND ($5::bigint IS NULL OR at >= $5)
        AND ($6::bigint IS NULL OR at <= $6)
        AND ($7::bigint IS NULL OR seq < $7)
      ORDER BY seq DESC LIMIT $8`,
    [
      agencyOri,
      kindExact,
      kindPrefix,
      filter.user ?? null,
      filter.from ?? null,
      filter.to ?? null,
      filter.beforeSeq ?? null,
      filter.limit,
    ],
  );
  return rows.map((r) => ({
    seq: r.seq,
    at: new Date(r.at).toISOString(),
    kind: r.kind,
    actor: r.actor,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    hash: r.hash,
  }));
}
