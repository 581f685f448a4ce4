// Read partitions: one table per UTC capture day, named reads_pYYYYMMDD, so retention can drop a whole
// day at once. Creating one is idempotent and safe when two hub processes race to create the same day.
import { daysAhead, mayCreatePartitionFor, utcDay } from '../../shared/policy/hub-retention.js';
import { DAY_MS } from '../../shared/runtime/clock.js';
import { type HubSql, sqlState } from '../db/hub-db.js';

const NAME = /^reads_p(\d{4})(\d{2})(\d{2})$/;

/** Start of the UTC day holding `ms`. */
export function utcDayStart(ms: number): number {
  return utcDay(ms);
}

/**
 * Table name of the partition holding the UTC day that starts at `dayStart`.
 * @example partitionName(Date.UTC(2026, 2, 1)) // 'reads_p20260301'
 */
export function partitionName(dayStart: number): string {
  return `reads_p${new Date(dayStart).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/** The day a partition name stands for, or undefined for a table that is not a read partition. */
export function partitionDay(name: string): number | undefined {
  const m = NAME.exec(name);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : undefined;
}

/** Create the partition for the day holding `ms` if it does not exist. */
export async function ensureReadPartition(sql: HubSql, ms: number): Promise<string> {
  const day = utcDayStart(ms);
  const name = partitionName(day);
  const from = new Date(day).toISOString();
  const to = new Date(day + DAY_MS).toISOString();
  try {
    await sql.exec(
      `CREATE TABLE IF NOT EXISTS ${name} PARTITION OF reads FOR VALUES FROM ('${from}') TO ('${to}')`,
    );
  } catch (error) {
    // Two processes creating the same day: the loser sees a duplicate type/relation; the table exists.
    if (sqlState(error) !== '23505' && sqlState(error) !== '42P07') throw error;
  }
  return name;
}

/** Every read partition with its day, oldest first. */
export async function listReadPartitions(sql: HubSql): Promise<{ name: string; day: number }[]> {
  const rows = await sql.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_class p ON p.oid = i.inhparent
      WHERE p.relname = 'reads'`,
  );
  return rows
    .map((r) => ({ name: r.name, day: partitionDay(r.name) }))
    .filter((r): r is { name: string; day: number } => r.day !== undefined)
    .sort((a, b) => a.day - b.day);
}

/** A late read is past retention: no partition is created for it, and it is not stored. */
export class PastRetentionError extends Error {
  readonly reason = 'past_retention';
  constructor(capturedAt: number, cutoff: number) {
    super(
      `read captured ${new Date(capturedAt).toISOString()} is past retention (cutoff ${new Date(cutoff).toISOString()})`,
    );
    this.name = 'PastRetentionError';
  }
}

/**
 * The partition for a read captured at `capturedAt`, created on demand only while the read is within
 * retention at `now` (a late read); throws PastRetentionError otherwise. Ingest calls this before it
 * inserts, so a late read never resurrects a day retention already dropped.
 */
export async function ensureReadPartitionWithinRetention(
  sql: HubSql,
  capturedAt: number,
  now: number,
  retentionDays: number,
): Promise<string> {
  if (!mayCreatePartitionFor(capturedAt, now, retentionDays)) {
    throw new PastRetentionError(capturedAt, now - retentionDays * DAY_MS);
  }
  return ensureReadPartition(sql, capturedAt);
}

/** Create the partitions of today and the next `aheadDays` days that do not exist yet; returns those created. */
export async function ensurePartitionsAhead(sql: HubSql, now: number, aheadDays: number): Promise<string[]> {
  const existing = new Set((await listReadPartitions(sql)).map((p) => p.name));
  const created: string[] = [];
  for (const day of daysAhead(now, aheadDays)) {
    if (existing.has(partitionName(day))) continue;
    created.push(await ensureReadPartition(sql, day));
  }
  return created;
}
