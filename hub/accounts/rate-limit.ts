// Fixed-window rate limits kept in the database, so every hub process counts the same attempts (processes
// scale out and keep no state). One upsert per check: count this attempt in the current window and say
// whether the window's limit is exceeded. Any feature may use it (login, searches) with its own buckets.
import type { HubSql } from '../db/hub-db.js';

export interface RateLimit {
  /** attempts allowed per window */
  limit: number;
  windowMs: number;
}

/** Login: per typed username and per client address (AUTH-06 locks the account; this slows spraying). */
export const LOGIN_RATE_LIMITS = {
  perUsername: { limit: 10, windowMs: 5 * 60_000 },
  perAddress: { limit: 30, windowMs: 5 * 60_000 },
} as const satisfies Record<string, RateLimit>;

export interface RateLimitHit {
  allowed: boolean;
  /** attempts counted in this window, this one included */
  hits: number;
  /** the first refused attempt of the window (audit it once, not every refusal) */
  firstRefusal: boolean;
  retryAfterMs: number;
}

/**
 * Count one attempt for `bucket` at `now`. Runs in its own statement on purpose: a refused login rolls
 * its transaction back, and the attempt must still count.
 * @example await hitRateLimit(db, 'login:user:det.a', LOGIN_RATE_LIMITS.perUsername, now) // { allowed: true, hits: 1, … }
 */
export async function hitRateLimit(
  sql: HubSql,
  bucket: string,
  rule: RateLimit,
  now: number,
): Promise<RateLimitHit> {
  const windowStart = Math.floor(now / rule.windowMs) * rule.windowMs;
  const rows = await sql.query<{ hits: number }>(
    `INSERT INTO rate_limit_hits (bucket, window_start, hits) VALUES ($1, $2, 1)
     ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limit_hits.hits + 1
     RETURNING hits`,
    [bucket.slice(0, 300), new Date(windowStart)],
  );
  const hits = rows[0]!.hits;
  return {
    allowed: hits <= rule.limit,
    hits,
    firstRefusal: hits === rule.limit + 1,
    retryAfterMs: windowStart + rule.windowMs - now,
  };
}

/** Forget windows that ended before `before` (any hub process may run it; twice is harmless). */
export async function pruneRateLimits(sql: HubSql, before: number): Promise<number> {
  const rows = await sql.query('DELETE FROM rate_limit_hits WHERE window_start < $1 RETURNING 1', [
    new Date(before),
  ]);
  return rows.length;
}
