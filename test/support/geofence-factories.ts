// Geofence fixtures: cameras and sites built in metres around a fixed origin (east x, north y) and
// written out as real GeoJSON in [lng, lat], so tests state geometry the way a planner thinks of it.
import type { ReadSink } from '../../edge/pipeline/stages.js';
import type { ResolvedCamera } from '../../shared/config/camera.schema.js';
import type { SiteCategory } from '../../shared/config/geofence.schema.js';
import { parseConfig } from '../../shared/config/load-config.js';
import { type LngLat, type LocalXy, localFrame } from '../../shared/geofence/local-frame.js';
import type { CameraGeometry } from '../../shared/geofence/sector.js';
import { type SiteRegistry, validateSiteRegistry } from '../../shared/geofence/site-registry.js';
import { prepareRegistry, type SiteBuffers } from '../../shared/geofence/verdict.js';
import type { PassRead } from '../../shared/plates/pass-tracker.js';
import type { Store } from '../../shared/store/store.js';
import { makeCameraConfig, T0 } from './factories.js';

/** Downtown San José: the origin every fixture is placed around. */
export const ORIGIN: LngLat = [-121.8863, 37.3382];
export const FRAME = localFrame(ORIGIN);

/** [lng, lat] of a point x metres east and y metres north of ORIGIN. */
export const at = (x: number, y: number): [number, number] => [...FRAME.toLngLat([x, y])] as [number, number];

export const ZERO_BUFFERS: SiteBuffers = { reproductive_health: 0, religious_observance: 0 };
export const DEFAULT_BUFFERS: SiteBuffers = { reproductive_health: 30, religious_observance: 30 };

export function makeCamera(
  overrides: Partial<CameraGeometry> & { x?: number; y?: number } = {},
): CameraGeometry {
  const { x = 0, y = 0, ...rest } = overrides;
  const [lng, lat] = at(x, y);
  return {
    position: { lng, lat },
    bearingDeg: 0,
    fovDeg: 40,
    rangeM: 50,
    frameWidthPx: 1280,
    minPlateWidthPx: 40,
    plateWidthM: 0.305,
    ...rest,
  };
}

/** A closed ring (counter-clockwise) of an axis-aligned rectangle, in metres. */
export function rect(minX: number, minY: number, maxX: number, maxY: number): LocalXy[] {
  return [
    [minX, minY],
    [maxX, minY],
    [maxX, maxY],
    [minX, maxY],
    [minX, minY],
  ];
}

/** A closed ring of a square centred on (cx, cy). */
export const square = (cx: number, cy: number, half: number) =>
  rect(cx - half, cy - half, cx + half, cy + half);

const toLngLat = (ring: readonly LocalXy[]) => ring.map(([x, y]) => at(x, y));

interface SiteOptions {
  id?: string;
  category?: SiteCategory;
  name?: string;
  properties?: Record<string, unknown>;
}

/** A Polygon site from rings in metres (outer first). */
export function polygonSite(rings: LocalXy[][], options: SiteOptions = {}): Record<string, unknown> {
  return feature({ type: 'Polygon', coordinates: rings.map(toLngLat) }, options);
}

/** A MultiPolygon site from polygons of rings in metres. */
export function multiPolygonSite(
  polygons: LocalXy[][][],
  options: SiteOptions = {},
): Record<string, unknown> {
  return feature({ type: 'MultiPolygon', coordinates: polygons.map((p) => p.map(toLngLat)) }, options);
}

/** A circular site (Point + radiusM) centred at (x, y) metres. */
export function circleSite(
  x: number,
  y: number,
  radiusM: number,
  options: SiteOptions = {},
): Record<string, unknown> {
  return feature(
    { type: 'Point', coordinates: at(x, y) },
    { ...options, properties: { radiusM, ...options.properties } },
  );
}

/** An entrance feature: a point [x, y] or a driveway line [[x, y], ...] in metres. */
export function entrance(siteId: string, geometry: LocalXy | LocalXy[]): Record<string, unknown> {
  const isLine = Array.isArray(geometry[0]);
  return {
    type: 'Feature',
    properties: { role: 'entrance', siteId },
    geometry: isLine
      ? { type: 'LineString', coordinates: toLngLat(geometry as LocalXy[]) }
      : { type: 'Point', coordinates: at(...(geometry as [number, number])) },
  };
}

let counter = 0;
function feature(geometry: unknown, options: SiteOptions): Record<string, unknown> {
  counter += 1;
  return {
    type: 'Feature',
    properties: {
      id: options.id ?? `site-${counter}`,
      category: options.category ?? 'religious_observance',
      ...(options.name !== undefined ? { name: options.name } : {}),
      ...options.properties,
    },
    geometry,
  };
}

export function featureCollection(features: unknown[]): { type: 'FeatureCollection'; features: unknown[] } {
  return { type: 'FeatureCollection', features };
}

/** A validated registry from features; throws with the problems when invalid. */
export function registryOf(features: unknown[]): SiteRegistry {
  const result = validateSiteRegistry(featureCollection(features));
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return result.registry;
}

export const preparedOf = (features: unknown[]) => prepareRegistry(registryOf(features));

/** A configured camera (validated and resolved like the edge loads it) placed x, y metres from ORIGIN. */
export function makeResolvedCamera(
  overrides: {
    id?: string;
    x?: number;
    y?: number;
    bearingDeg?: number;
    fovDeg?: number;
    rangeM?: number;
  } = {},
): ResolvedCamera {
  const { id = 'cam-1', x = 0, y = 0, bearingDeg = 0, fovDeg = 40, rangeM = 50 } = overrides;
  const [lng, lat] = at(x, y);
  const result = parseConfig(
    { cameras: [makeCameraConfig({ id, position: { lng, lat }, bearingDeg, fovDeg, rangeM })] },
    process.cwd(),
  );
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value.cameras[0]!;
}

/** A vehicle pass as the tracker would emit it. */
export function makePass(overrides: Partial<PassRead> = {}): PassRead {
  const capturedAt = overrides.capturedAt ?? T0;
  return {
    cameraId: 'cam-1',
    plate: '7ABC123',
    rawText: '7ABC123',
    confidence: 0.93,
    charConfidences: [0.95, 0.9, 0.94, 0.92, 0.96, 0.91, 0.93],
    capturedAt,
    box: { x: 100, y: 200, width: 120, height: 60 },
    evidence: { framesSeen: 3, firstSeenAt: capturedAt - 400, lastSeenAt: capturedAt, perFrame: [] },
    ...overrides,
  };
}

/** A minimal store-backed sink (the edge service has the full one): each pass becomes a read. */
export function storeSink(store: Store): ReadSink {
  return {
    store: (passes, verdictId, modelId, now) =>
      store.reads.insertMany(
        passes.map((p) => ({
          cameraId: p.cameraId,
          plate: p.plate,
          rawText: p.rawText,
          confidence: p.confidence,
          charConfidences: p.charConfidences,
          capturedAt: p.capturedAt,
          box: p.box,
          modelId,
          verdictId,
          evidence: { ...p.evidence },
        })),
        now,
      ),
  };
}
