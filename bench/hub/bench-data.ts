// The hub benchmark data set: D days x N reads/day in PostgreSQL (default 30 x 300,000 = 9 M rows) from
// 100 edges x 2 cameras, plates drawn from a fleet of 2 M vehicles with California-style plates (a few
// vehicles read often, most rarely). Each day is filled by multi-row INSERT … SELECT in its own table,
// indexed, then attached as the day's partition; days already complete are kept, so a re-run (or a run
// after the retention bench dropped a day) loads only what is missing.
import os from 'node:os';
import type { HubDb } from '../../hub/db/hub-db.js';
import { listReadPartitions, partitionName } from '../../hub/store/read-partitions.js';
import { DAY_MS } from '../../shared/runtime/clock.js';

export const EDGES = 100;
export const CAMERAS_PER_EDGE = 2;
export const FLEET = 2_000_000;

export interface BenchData {
  /** first (oldest) loaded day, UTC midnight */
  firstDay: number;
  days: number;
  perDay: number;
}

const log = (line: string) => process.stdout.write(`${line}\n`);
export const loadAvg = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

/** Edges, cameras and compliant verdicts (evaluated before the first day), and the plate fleet. */
async function seedFleet(db: HubDb, firstDay: number): Promise<void> {
  const have = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_class WHERE relname = 'bench_plates'",
  );
  if (have[0]!.n > 0) return;
  log(
    `seeding ${EDGES} edges x ${CAMERAS_PER_EDGE} cameras and a fleet of ${FLEET.toLocaleString()} plates…`,
  );
  await db.exec(`
    INSERT INTO agencies (ori, name, agency_type, state, is_home, created_at)
      VALUES ('CA0430100', 'San José Police Department', 'local_le', 'CA', true, now());
    INSERT INTO edges (id, agency_id, created_at)
      SELECT 'edge-' || lpad(e::text, 3, '0'), 1, now() FROM generate_series(1, ${EDGES}) e;
    INSERT INTO cameras (edge_id, camera_id, lng, lat, bearing_deg, fov_deg, range_m, camera_hash, config, first_seen_at, updated_at)
      SELECT 'edge-' || lpad(e::text, 3, '0'), 'cam-' || c, -121.886, 37.338, 20, 40, 30, 'h', '{}', now(), now()
        FROM generate_series(1, ${EDGES}) e, generate_series(1, ${CAMERAS_PER_EDGE}) c;
    INSERT INTO camera_verdicts (edge_id, camera_id, edge_verdict_id, camera_hash, registry_version, compliant, evaluated_at, received_at)
      SELECT edge_id, camera_id, row_number() OVER (PARTITION BY edge_id ORDER BY camera_id), 'h', 'r', true,
             '${new Date(firstDay - 10 * DAY_MS).toISOString()}', now()
        FROM cameras;
    CREATE TABLE bench_plates (id integer PRIMARY KEY, plate text NOT NULL);
    SELECT setseed(0.42);
    INSERT INTO bench_plates
      SELECT g, chr(49 + (random() * 8)::int) || chr(65 + (random() * 25)::int) || chr(65 + (random() * 25)::int)
             || chr(65 + (random() * 25)::int) || lpad(((random() * 999)::int)::text, 3, '0')
        FROM generate_series(0, ${FLEET - 1}) g;
    CREATE TABLE bench_cameras AS
      SELECT (row_number() OVER (ORDER BY v.edge_id, v.camera_id) - 1)::int AS n, v.edge_id, v.camera_id, v.id AS verdict_id
        FROM camera_verdicts v;
  `);
}

/** Load every missing or incomplete day; returns the data set's shape. */
export async function ensureBenchData(
  db: HubDb,
  options: { days: number; perDay: number; firstDay: number },
): Promise<BenchData> {
  const { days, perDay, firstDay } = options;
  await seedFleet(db, firstDay);
  const started = performance.now();
  log(
    `loading ${days} days x ${perDay.toLocaleString()} reads (${(days * perDay).toLocaleString()} rows); load average ${loadAvg()}`,
  );
  const attached = new Set((await listReadPartitions(db)).map((p) => p.name));
  for (let d = 0; d < days; d++) {
    const day = firstDay + d * DAY_MS;
    const name = partitionName(day);
    if (attached.has(name)) {
      const n = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${name}`))[0]!.n;
      if (n >= perDay) {
        log(`  day ${d + 1}/${days} ${name}: already loaded (${n.toLocaleString()} rows)`);
        continue;
      }
      await db.exec(`ALTER TABLE reads DETACH PARTITION ${name}; DROP TABLE ${name}`);
    }
    const t0 = performance.now();
    await loadDay(db, day, d, perDay);
    log(
      `  day ${d + 1}/${days} ${name}: ${perDay.toLocaleString()} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s ` +
        `(load average ${loadAvg()})`,
    );
  }
  log(`data ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await db.exec('ANALYZE reads');
  return { firstDay, days, perDay };
}

const CHUNK = 100_000;

/** One day: its own table, filled in chunks, indexed like every partition, then attached. */
async function loadDay(db: HubDb, day: number, dayIndex: number, perDay: number): Promise<void> {
  const name = partitionName(day);
  const from = new Date(day).toISOString();
  const to = new Date(day + DAY_MS).toISOString();
  await db.exec(
    `DROP TABLE IF EXISTS ${name}; CREATE TABLE ${name} (LIKE reads INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`,
  );
  const cameras = EDGES * CAMERAS_PER_EDGE;
  for (let offset = 0; offset < perDay; offset += CHUNK) {
    const n = Math.min(CHUNK, perDay - offset);
    // Skewed draw from the fleet (random()^3): some plates are read many times a day, most rarely.
    await db.query(
      `INSERT INTO ${name} (edge_id, edge_read_id, camera_id, captured_at, plate, plate_key, raw_text, confidence,
                            box_x, box_y, box_w, box_h, model_id, verdict_id, received_at)
       SELECT c.edge_id, $1::bigint + s.g + 1, c.camera_id,
              $2::timestamptz + (s.g * ($3::float8 / $4::int)) * interval '1 millisecond',
              p.plate, translate(p.plate, 'OI', '01'), p.plate, 0.9, 10, 10, 120, 60, 'cct-xs-v1-global',
              c.verdict_id, $2::timestamptz
         FROM (SELECT g, floor(power(random(), 3) * ${FLEET})::int AS vehicle
                 FROM generate_series($5::int, $6::int) g) s
         JOIN bench_cameras c ON c.n = s.g % ${cameras}
         JOIN bench_plates p ON p.id = s.vehicle`,
      [dayIndex * perDay, new Date(day), DAY_MS, perDay, offset, offset + n - 1],
    );
  }
  await db.exec(`
    ALTER TABLE ${name} ADD PRIMARY KEY (edge_id, edge_read_id, captured_at);
    CREATE INDEX ON ${name} (plate_key, captured_at);
    CREATE INDEX ON ${name} (edge_id, camera_id, captured_at);
    CREATE INDEX ON ${name} USING gin (plate_key gin_trgm_ops);
    ALTER TABLE ${name} ADD CONSTRAINT ${name}_range CHECK (captured_at >= '${from}' AND captured_at < '${to}');
    ALTER TABLE reads ATTACH PARTITION ${name} FOR VALUES FROM ('${from}') TO ('${to}');
    ALTER TABLE ${name} DROP CONSTRAINT ${name}_range;
    ANALYZE ${name};
  `);
}

/** Latency summary of `samples` (ms). */
export function summarise(samples: number[]): {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
} {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : Number.NaN;
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN };
}

export const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
