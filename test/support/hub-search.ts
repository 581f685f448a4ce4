// Search fixtures at the hub: an agency with an edge, cameras placed in metres around the geofence
// fixtures' origin, verdicts and reads (straight SQL, as hub-factories.ts), and a principal-like user for
// service-level tests. A lawful search body to start from, and the clinic registry used by Q-06 tests.
import type { HubSql } from '../../hub/db/hub-db.js';
import type { UserPrincipal } from '../../hub/search/access-actor.js';
import type { Account } from '../../shared/access/accounts.js';
import { at, entrance, featureCollection, polygonSite, square } from './geofence-factories.js';
import { insertAgency, insertEdge, insertRead, insertVerdict } from './hub-factories.js';

export const SEARCH_NOW = Date.UTC(2026, 2, 10, 12, 0, 0);
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** A camera `x`, `y` metres from the fixtures' origin, looking along `bearingDeg`. */
export async function insertPlacedCamera(
  sql: HubSql,
  edgeId: string,
  cameraId: string,
  place: { x: number; y: number; bearingDeg?: number; rangeM?: number },
): Promise<void> {
  const [lng, lat] = at(place.x, place.y);
  await sql.query(
    `INSERT INTO cameras (edge_id, camera_id, lng, lat, bearing_deg, fov_deg, range_m, camera_hash, config,
                          first_seen_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, 40, $6, 'h1', '{}', $7, $7)`,
    [edgeId, cameraId, lng, lat, place.bearingDeg ?? 0, place.rangeM ?? 30, new Date(SEARCH_NOW - 20 * DAY)],
  );
}

export interface SeededHub {
  agencyId: number;
  otherAgencyId: number;
  /** verdict ids by camera */
  verdicts: Record<string, number>;
}

/**
 * Home agency with edge-01 (cam-far, far from any site; cam-clinic, looking at the clinic; cam-bad, whose
 * latest verdict is non-compliant) and a second agency with edge-99 (cam-x). Reads of 7ABC123 on each.
 */
export async function seedSearchHub(sql: HubSql): Promise<SeededHub> {
  const agencyId = await insertAgency(sql);
  const otherAgencyId = await insertAgency(sql, { ori: 'CA0431100', name: 'Other PD', isHome: false });
  await insertEdge(sql, agencyId, 'edge-01');
  await insertEdge(sql, otherAgencyId, 'edge-99');
  await insertPlacedCamera(sql, 'edge-01', 'cam-far', { x: -800, y: -800 });
  await insertPlacedCamera(sql, 'edge-01', 'cam-clinic', { x: 100, y: 40 });
  await insertPlacedCamera(sql, 'edge-01', 'cam-bad', { x: -900, y: -900 });
  await insertPlacedCamera(sql, 'edge-99', 'cam-x', { x: -1000, y: -1000 });
  const verdicts: Record<string, number> = {};
  const early = SEARCH_NOW - 20 * DAY;
  for (const [edgeId, cameraId] of [
    ['edge-01', 'cam-far'],
    ['edge-01', 'cam-clinic'],
    ['edge-01', 'cam-bad'],
    ['edge-99', 'cam-x'],
  ] as const) {
    verdicts[cameraId] = await insertVerdict(sql, {
      edgeId,
      cameraId,
      edgeVerdictId: Object.keys(verdicts).length + 1,
      evaluatedAt: early,
    });
  }
  let readId = 1;
  const read = (edgeId: string, cameraId: string, capturedAt: number, plate = '7ABC123') =>
    insertRead(sql, {
      edgeId,
      edgeReadId: readId++,
      cameraId,
      capturedAt,
      plate,
      verdictId: verdicts[cameraId]!,
    });
  await read('edge-01', 'cam-far', SEARCH_NOW - 2 * DAY); // 1: a hit
  await read('edge-01', 'cam-far', SEARCH_NOW - 2 * DAY + HOUR, '7XYZ999'); // 2: another plate
  await read('edge-01', 'cam-clinic', SEARCH_NOW - 2 * DAY); // 3: the sensitive camera
  await read('edge-01', 'cam-bad', SEARCH_NOW - 2 * DAY); // 4: camera later found non-compliant
  await read('edge-01', 'cam-far', SEARCH_NOW - 29 * DAY - 12 * HOUR); // 5: near the retention cutoff
  await read('edge-99', 'cam-x', SEARCH_NOW - 2 * DAY); // 6: another agency's
  // cam-bad's newest verdict is non-compliant (evaluated after its read: the read stays stored).
  await insertVerdict(sql, {
    edgeId: 'edge-01',
    cameraId: 'cam-bad',
    edgeVerdictId: 10,
    compliant: false,
    evaluatedAt: SEARCH_NOW - DAY,
  });
  return { agencyId, otherAgencyId, verdicts };
}

export function investigator(agencyId: number, overrides: Partial<UserPrincipal> = {}): UserPrincipal {
  return { userId: 1, username: 'det.alvarez', agencyId, role: 'investigator', ...overrides };
}

/** The account of a searcher: active, approved by a supervisor, trained (AC-04). */
export function searcherAccount(overrides: Partial<Account> = {}): Account {
  return {
    username: 'det.alvarez',
    role: 'investigator',
    agency: 'CA0430100',
    status: 'active',
    createdAt: SEARCH_NOW - 100 * DAY,
    supervisorApproval: { by: 'sgt.lee', at: SEARCH_NOW - 90 * DAY },
    trainingCompletedAt: SEARCH_NOW - 60 * DAY,
    ...overrides,
  };
}

export function lawfulSearch(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    plate: '7ABC123',
    from: new Date(SEARCH_NOW - 7 * DAY).toISOString(),
    to: new Date(SEARCH_NOW - HOUR).toISOString(),
    crimeType: 'robbery',
    caseNumber: '26-000123',
    justification: 'armed robbery at the Valero on King Rd, suspect fled in a white Civic',
    ...overrides,
  };
}

/** The clinic the cam-clinic camera looks at. */
export const CLINIC_REGISTRY = JSON.stringify(
  featureCollection([
    polygonSite([square(100, 100, 20)], {
      id: 'clinic-1',
      category: 'reproductive_health',
      name: 'Clinic A',
    }),
    entrance('clinic-1', [100, 80]),
  ]),
);
