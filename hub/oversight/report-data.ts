// Reads what the oversight rules need from the hub database: the audit entries (payloads parsed), holds,
// cameras with their latest verdict, the hub's retention runs and oldest unheld read, every edge's purge
// receipts, and storage figures. Only tables on main are read; no policy is decided here.
import type { AuditEntry } from '../../shared/oversight/audit-entries.js';
import type { CameraRow, HitRow, HoldRow } from '../../shared/oversight/quarterly-report.js';
import type { EdgePurgeReceipt, HubRetentionRun } from '../../shared/oversight/retention-check.js';
import type { HubSql } from '../db/hub-db.js';
import { pinnedInPartitionSql } from '../store/retention-cutoff.js';

const ms = (d: Date | string | null): number | null => (d === null ? null : new Date(d).getTime());

/** The kinds the oversight rules read (access events, agency records, retention runs). */
export async function auditEntries(
  sql: HubSql,
  options: { before?: number; after?: number; kinds?: readonly string[] } = {},
): Promise<AuditEntry[]> {
  const rows = await sql.query<{ seq: number; at: number; kind: string; actor: string; payload: string }>(
    `SELECT seq, at, kind, actor, payload FROM audit_events
      WHERE at < $1 AND at >= $2 AND ($3::text[] IS NULL OR kind = ANY($3::text[])) ORDER BY seq`,
    [
      options.before ?? Number.MAX_SAFE_INTEGER,
      options.after ?? 0,
      options.kinds ? [...options.kinds] : null,
    ],
  );
  return rows.map((r) => {
    let payload: Record<string, unknown> = {};
    try {
      const parsed = JSON.parse(r.payload) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        payload = parsed as Record<string, unknown>;
    } catch {
      // the chain stores canonical JSON; an unparsable payload is a chain problem the verify step reports
    }
    return { seq: r.seq, at: r.at, kind: r.kind, actor: r.actor, payload };
  });
}

export async function homeOri(sql: HubSql): Promise<string | undefined> {
  return (await sql.query<{ ori: string }>('SELECT ori FROM agencies WHERE is_home'))[0]?.ori;
}

export async function holdRows(sql: HubSql): Promise<HoldRow[]> {
  const rows = await sql.query<{
    id: number;
    created_at: Date;
    review_by: Date | null;
    released_at: Date | null;
  }>('SELECT id, created_at, review_by, released_at FROM holds ORDER BY id');
  return rows.map((r) => ({
    id: r.id,
    createdAt: ms(r.created_at)!,
    reviewBy: ms(r.review_by),
    releasedAt: ms(r.released_at),
  }));
}

/** Every camera of an enabled edge, with its latest verdict (by the edge's verdict order). */
export async function cameraRows(sql: HubSql): Promise<CameraRow[]> {
  const rows = await sql.query<{
    edge_id: string;
    camera_id: string;
    compliant: boolean | null;
    evaluated_at: Date | null;
    registry_version: string | null;
    violations: unknown;
  }>(
    `SELECT c.edge_id, c.camera_id, v.compliant, v.evaluated_at, v.registry_version, v.violations
       FROM cameras c JOIN edges e ON e.id = c.edge_id AND e.disabled_at IS NULL
       LEFT JOIN LATERAL (
         SELECT compliant, evaluated_at, registry_version, violations FROM camera_verdicts cv
          WHERE cv.edge_id = c.edge_id AND cv.camera_id = c.camera_id ORDER BY cv.edge_verdict_id DESC LIMIT 1
       ) v ON true
      ORDER BY c.edge_id, c.camera_id`,
  );
  return rows.map((r) => ({
    edgeId: r.edge_id,
    cameraId: r.camera_id,
    compliant: r.compliant,
    evaluatedAt: ms(r.evaluated_at),
    registryVersion: r.registry_version,
    violations: Array.isArray(r.violations) ? r.violations.length : 0,
  }));
}

export async function hubRetentionRuns(sql: HubSql, from: number, to: number): Promise<HubRetentionRun[]> {
  const entries = await auditEntries(sql, { after: from, before: to, kinds: ['retention.run'] });
  return entries.map((e) => ({
    at: Date.parse(String(e.payload.now)) || e.at,
    unheldExpiredLeft: Number(e.payload.unheldExpiredLeft ?? 0),
    retentionMet: e.payload.retentionMet === true,
  }));
}

/** captured_at of the oldest read at the hub that no active hold pins (reads and evidence). */
export async function oldestUnheldAtHub(sql: HubSql): Promise<number | null> {
  const rows = await sql.query<{ oldest: Date | null }>(
    `SELECT least(
       (SELECT min(r.captured_at) FROM reads r WHERE NOT ${pinnedInPartitionSql('r')}),
       (SELECT min(e.captured_at) FROM evidence_reads e WHERE NOT EXISTS (
          SELECT 1 FROM hold_reads p WHERE p.edge_id = e.edge_id AND p.evidence_read_id = e.edge_read_id))
     ) AS oldest`,
  );
  return ms(rows[0]?.oldest ?? null);
}

/**
 * Purge receipts of each edge that was enrolled (and not disabled) for at least a day of the period.
 * A receipt without a usable finish time or age is passed on as untrusted, never dropped.
 */
export async function edgeReceipts(
  sql: HubSql,
  from: number,
  to: number,
): Promise<{ edgeId: string; receipts: EdgePurgeReceipt[] }[]> {
  const edges = await sql.query<{ id: string }>(
    `SELECT id FROM edges WHERE created_at < $2 AND (disabled_at IS NULL OR disabled_at > $1) ORDER BY id`,
    [new Date(from), new Date(to - 86_400_000)],
  );
  const rows = await sql.query<{ edge_id: string; receipt: Record<string, unknown> }>(
    'SELECT edge_id, receipt FROM edge_receipts ORDER BY edge_id, audit_seq',
  );
  return edges.map(({ id }) => ({
    edgeId: id,
    receipts: rows
      .filter((r) => r.edge_id === id)
      .map(({ receipt: r }) => {
        const finishedAt = Date.parse(String(r.finishedAt));
        const age = r.oldestUnheldAgeMs;
        const skew = r.clockSkew as { trusted?: unknown } | undefined;
        const ageOk = age === null || (typeof age === 'number' && Number.isFinite(age));
        return {
          finishedAt: Number.isFinite(finishedAt) ? finishedAt : 0,
          oldestUnheldAgeMs: typeof age === 'number' && Number.isFinite(age) ? age : null,
          retentionMet: r.retentionMet === true,
          clockTrusted: Number.isFinite(finishedAt) && ageOk && skew?.trusted !== false,
        };
      }),
  }));
}

/** Reads stored, the bytes their partitions take, and reads captured in the last `days`. */
export async function storageFacts(
  sql: HubSql,
  now: number,
  days: number,
): Promise<{ readsStored: number; readsBytes: number; readsInWindow: number }> {
  const count = await sql.query<{ n: number; recent: number }>(
    'SELECT count(*) AS n, count(*) FILTER (WHERE captured_at >= $1) AS recent FROM reads',
    [new Date(now - days * 86_400_000)],
  );
  const bytes = await sql.query<{ b: number | string | null }>(
    `SELECT coalesce(sum(pg_total_relation_size(i.inhrelid)), 0)::bigint AS b
       FROM pg_inherits i WHERE i.inhparent = 'public.reads'::regclass`,
  );
  return {
    readsStored: Number(count[0]?.n ?? 0),
    readsBytes: Number(bytes[0]?.b ?? 0),
    readsInWindow: Number(count[0]?.recent ?? 0),
  };
}

/** Every hotlist hit created before `before` (migration 050): state and outcome only, never a plate. */
export async function hitRows(sql: HubSql, before: number): Promise<HitRow[]> {
  const rows = await sql.query<{
    created_at: Date;
    state: HitRow['state'];
    disposition: string | null;
    rejection_reason: string | null;
  }>('SELECT created_at, state, disposition, rejection_reason FROM hits WHERE created_at < $1 ORDER BY id', [
    new Date(before),
  ]);
  return rows.map((r) => ({
    createdAt: r.created_at.getTime(),
    state: r.state,
    disposition: r.disposition,
    rejectionReason: r.rejection_reason,
  }));
}
