// Search-path benchmark (the next issue's searches, on today's schema): exact plate on the folded key and
// partial plate with pg_trgm, both with the retention-cutoff filter every hub query carries, over the
// loaded data set. Targets: exact p95 < 50 ms, partial p95 < 500 ms.
import type { HubDb } from '../../hub/db/hub-db.js';
import { hubRetentionCutoff, withinRetentionSql } from '../../hub/store/retention-cutoff.js';
import { foldPlateText } from '../../shared/plates/plate-format.js';
import { FLEET, fmt, loadAvg, summarise } from './bench-data.js';

const log = (line: string) => process.stdout.write(`${line}\n`);

export const EXACT_SQL = `SELECT r.edge_id, r.edge_read_id, r.camera_id, r.captured_at, r.plate FROM reads r
  WHERE r.plate_key = $1 AND ${withinRetentionSql('r', 2)} ORDER BY r.captured_at DESC LIMIT 100`;
export const PARTIAL_SQL = `SELECT r.edge_id, r.edge_read_id, r.camera_id, r.captured_at, r.plate FROM reads r
  WHERE r.plate_key LIKE '%' || $1 || '%' AND ${withinRetentionSql('r', 2)} ORDER BY r.captured_at DESC LIMIT 100`;

export interface SearchFigures {
  exact: ReturnType<typeof summarise> & { rowsMean: number };
  partial: ReturnType<typeof summarise> & { rowsMean: number };
}

/** Plates to look for: a spread over the fleet, frequent (low ids) and rare ones alike. */
async function samplePlates(db: HubDb, n: number): Promise<string[]> {
  const rows = await db.query<{ plate: string }>(
    'SELECT plate FROM bench_plates WHERE id = ANY($1::int[]) ORDER BY id',
    [Array.from({ length: n }, (_, i) => Math.floor(((i * 7919) % n) * (FLEET / n)))],
  );
  return rows.map((r) => r.plate);
}

async function time(db: HubDb, sql: string, params: unknown[]): Promise<{ ms: number; rows: number }> {
  const t0 = performance.now();
  const rows = await db.query(sql, params as never);
  return { ms: performance.now() - t0, rows: rows.length };
}

export async function runSearchBench(
  db: HubDb,
  options: { now: number; retentionDays: number; queries: number },
) {
  const cutoff = hubRetentionCutoff(options.now, options.retentionDays);
  const plates = await samplePlates(db, options.queries);
  log(`\nsearch: ${plates.length} queries each, cutoff ${cutoff.toISOString()}; load average ${loadAvg()}`);
  // Warm the caches the way a hub that has been serving would have them.
  for (const plate of plates.slice(0, 20)) await db.query(EXACT_SQL, [foldPlateText(plate), cutoff]);

  const exact: number[] = [];
  let exactRows = 0;
  for (const plate of plates) {
    const r = await time(db, EXACT_SQL, [foldPlateText(plate), cutoff]);
    exact.push(r.ms);
    exactRows += r.rows;
  }
  // Partial: 4 characters from the middle of a real plate ("ABC1" of 7ABC123), what a witness remembers.
  const partial: number[] = [];
  let partialRows = 0;
  for (const plate of plates) {
    const r = await time(db, PARTIAL_SQL, [foldPlateText(plate).slice(1, 5), cutoff]);
    partial.push(r.ms);
    partialRows += r.rows;
  }
  const figures: SearchFigures = {
    exact: { ...summarise(exact), rowsMean: exactRows / plates.length },
    partial: { ...summarise(partial), rowsMean: partialRows / plates.length },
  };
  const plan = async (sql: string, value: string) => {
    const rows = await db.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${sql}`,
      [value, cutoff],
    );
    return rows
      .map((r) => r['QUERY PLAN'])
      .filter((l) => /Scan|Bitmap|Append/.test(l))
      .slice(0, 4)
      .map((l) => l.trim())
      .join(' | ');
  };
  const show = (what: string, f: SearchFigures['exact'], target: number) =>
    log(
      `  ${what}: p50 ${fmt(f.p50)}, p95 ${fmt(f.p95)}, p99 ${fmt(f.p99)}, max ${fmt(f.max)}; ${f.rowsMean.toFixed(1)} rows/query; ` +
        `target p95 < ${target} ms: ${f.p95 < target ? 'met' : 'NOT met'}`,
    );
  show('exact plate (folded key)', figures.exact, 50);
  show('partial plate (pg_trgm, 4 characters)', figures.partial, 500);
  log(`  plan, exact: ${await plan(EXACT_SQL, foldPlateText(plates[0]!))}`);
  log(`  plan, partial: ${await plan(PARTIAL_SQL, foldPlateText(plates[0]!).slice(1, 5))}`);
  log(`  load average ${loadAvg()}`);
  return figures;
}
