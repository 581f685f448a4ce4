// Fixed-window request counters in the hub database (rate_counters, migration 25), so every hub process
// behind a load balancer counts against the same limit. A counter is one upsert; windows older than the
// previous one are pruned for the key on the way.
import type { HubSql } from '../db/hub-db.js';

/**
 * Count one hit of `key` at `now`; true while the window's hits stay within `limit`.
 * @example await takeRateLimit(db, 'search:user:7', now, 60_000, 20) // true for the first 20 in a minute
 */
export async function takeRateLimit(
  sql: HubSql,
  key: string,
  now: number,
  windowMs: number,
  limit: number,
): Promise<boolean> {
  const start = new Date(Math.floor(now / windowMs) * windowMs);
  const rows = await sql.query<{ hits: number }>(
    `INSERT INTO rate_counters (key, window_start, hits) VALUES ($1, $2, 1)
     ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_counters.hits + 1 RETURNING hits`,
    [key, start],
  );
  await sql.query('DELETE FROM rate_counters WHERE key = $1 AND window_start < $2', [
    key,
    new Date(start.getTime() - windowMs),
  ]);
  return (rows[0]?.hits ?? Number.POSITIVE_INFINITY) <= limit;
}
