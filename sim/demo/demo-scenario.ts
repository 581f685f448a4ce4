// The demo's made-up world: two cameras on a fictional street grid, one sensitive site in view of the
// second camera, and the synthetic traffic both cameras see. Everything here is fictional.
import type { TrafficVehicle } from '../camera/traffic-clip.js';

export const DEMO_CLIP = { width: 960, height: 540, fps: 10, seconds: 12 } as const;

/** Plates avoid O, I and Q, as many states' series do (they are confused with 0 and 1). */
export const DEMO_VEHICLES: TrafficVehicle[] = [
  { plate: '7DMV482', enterAtS: 0.3, crossingS: 3.2, laneY: 0.55, plateWidth: 0.14, direction: 'ltr' },
  { plate: '4KTR915', enterAtS: 3.6, crossingS: 3.0, laneY: 0.62, plateWidth: 0.15, direction: 'rtl' },
  { plate: '8BXW263', enterAtS: 6.8, crossingS: 3.4, laneY: 0.5, plateWidth: 0.13, direction: 'ltr' },
  { plate: '5GHN730', enterAtS: 8.0, crossingS: 3.6, laneY: 0.7, plateWidth: 0.15, direction: 'rtl' },
];

const ORIGIN = { lng: -121.89, lat: 37.33 };
const M_PER_DEG_LAT = 111_000;
const M_PER_DEG_LNG = 111_000 * Math.cos((ORIGIN.lat * Math.PI) / 180);
/** A point `east` and `north` metres from the demo origin, [lng, lat]. */
const at = (east: number, north: number): [number, number] => [
  Number((ORIGIN.lng + east / M_PER_DEG_LNG).toFixed(7)),
  Number((ORIGIN.lat + north / M_PER_DEG_LAT).toFixed(7)),
];

export interface DemoCamera {
  id: string;
  label: string;
  lng: number;
  lat: number;
  bearingDeg: number;
  fovDeg: number;
  rangeM: number;
}

export const DEMO_CAMERAS: DemoCamera[] = [
  {
    id: 'demo-main-st',
    label: 'Main St northbound (compliant)',
    ...lngLat(at(0, 0)),
    bearingDeg: 0,
    fovDeg: 40,
    rangeM: 35,
  },
  {
    id: 'demo-oak-ave',
    label: 'Oak Ave eastbound (aimed at a place of worship)',
    ...lngLat(at(400, 0)),
    bearingDeg: 90,
    fovDeg: 40,
    rangeM: 35,
  },
];

function lngLat([lng, lat]: [number, number]) {
  return { lng, lat };
}

/** One fictional place of religious observance, 20-50 m east of the Oak Ave camera, with its driveway. */
export function demoSitesGeoJson(): Record<string, unknown> {
  const parcel = [at(420, -15), at(450, -15), at(450, 15), at(420, 15), at(420, -15)];
  return {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: {
          id: 'demo-site-1',
          category: 'religious_observance',
          name: 'Demo Street Chapel (fictional)',
        },
        geometry: { type: 'Polygon', coordinates: [parcel] },
      },
      {
        type: 'Feature',
        properties: { role: 'entrance', siteId: 'demo-site-1' },
        geometry: { type: 'Point', coordinates: at(419, 0) },
      },
    ],
  };
}

/** The demo config (validated by the same schema as any other). */
export function demoConfig(options: {
  dataDir: string;
  cameraUrl: string;
  ffmpegPath?: string;
  /** the demo hub: reads are forwarded to it while the edge runs */
  forward?: { hubUrl: string; edgeKeyPath: string };
}) {
  return {
    node: { id: 'demo-edge' },
    store: { path: `${options.dataDir}/alpr.db`, cropsDir: `${options.dataDir}/crops` },
    sites: { registryPath: `${options.dataDir}/sites.geojson`, reevaluateEveryS: 2 },
    recognition: { trackWindowMs: 1500 },
    ingest: {
      loopFiles: false,
      // The simulated camera has just started: retry its first connection every 250 ms for up to 10 s
      // rather than with the backoff meant for real cameras (1, 2, 4, 8 s…), which can outlast the clip.
      firstConnectAttempts: 40,
      firstConnectRetryMs: 250,
      ...(options.ffmpegPath ? { ffmpegPath: options.ffmpegPath } : {}),
    },
    http: { enabled: false },
    ...(options.forward ? { forward: { enabled: true, everyMs: 500, ...options.forward } } : {}),
    log: { level: 'warn' },
    cameraDefaults: {
      frame: { width: DEMO_CLIP.width, height: DEMO_CLIP.height },
      sampleFps: 5,
    },
    cameras: DEMO_CAMERAS.map((c) => ({
      id: c.id,
      label: c.label,
      url: options.cameraUrl,
      position: { lng: c.lng, lat: c.lat },
      bearingDeg: c.bearingDeg,
      fovDeg: c.fovDeg,
      rangeM: c.rangeM,
    })),
  };
}
