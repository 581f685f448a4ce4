// The cameras a search may cover, with their geometry as the hub last received it (the `cameras` table),
// and the sensitive-site registry in force, prepared for the query-time screen. Both are read in
// the search's own transaction, so the screen judges exactly what the search then covers.

import type { SearchCamera } from '../../shared/access/sensitive-search.js';
import { parseSiteRegistry } from '../../shared/geofence/site-registry.js';
import { type PreparedRegistry, prepareRegistry } from '../../shared/geofence/verdict.js';
import type { HubSql } from '../db/hub-db.js';

export interface ScopedSearchCamera extends SearchCamera {
  edgeId: string;
  agencyId: number;
}

/** Every camera of the edges of `agencyIds`. */
export async function camerasInScope(
  sql: HubSql,
  agencyIds: readonly number[],
): Promise<ScopedSearchCamera[]> {
  const rows = await sql.query<{
    edge_id: string;
    camera_id: string;
    agency_id: number;
    lng: number;
    lat: number;
    bearing_deg: number;
    fov_deg: number;
    range_m: number;
  }>(
    `SELECT c.edge_id, c.camera_id, e.agency_id, c.lng, c.lat, c.bearing_deg, c.fov_deg, c.range_m
       FROM cameras c JOIN edges e ON e.id = c.edge_id
      WHERE e.agency_id = ANY($1::bigint[]) ORDER BY c.edge_id, c.camera_id`,
    [agencyIds],
  );
  return rows.map((r) => ({
    id: r.camera_id,
    edgeId: r.edge_id,
    agencyId: r.agency_id,
    // The hub stores the derived range; the optics only matter when a range must be derived.
    geometry: {
      position: { lng: r.lng, lat: r.lat },
      bearingDeg: r.bearing_deg,
      fovDeg: r.fov_deg,
      rangeM: r.range_m,
      frameWidthPx: 1920,
      minPlateWidthPx: 1,
      plateWidthM: 0.305,
    },
  }));
}

const prepared = new Map<string, PreparedRegistry>();

/** The current registry, prepared (cached by version); null when none was imported or it does not parse. */
export async function currentPreparedRegistry(sql: HubSql): Promise<PreparedRegistry | null> {
  const rows = await sql.query<{ version: string; registry: unknown }>(
    'SELECT version, registry FROM site_registry_versions ORDER BY seq DESC LIMIT 1',
  );
  const row = rows[0];
  if (!row) return null;
  const cached = prepared.get(row.version);
  if (cached) return cached;
  const parsed = parseSiteRegistry(JSON.stringify(row.registry));
  if (!parsed.ok) return null;
  const ready = prepareRegistry(parsed.registry);
  prepared.clear();
  prepared.set(row.version, ready);
  return ready;
}
