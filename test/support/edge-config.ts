// Validated configs for edge tests, built through the real schema (defaults, bounds, camera resolution).
import { type ResolvedCamera, resolveCamera } from '../../shared/config/camera.schema.js';
import { type AlprConfig, configSchema } from '../../shared/config/schema.js';
import { makeCameraConfig } from './factories.js';

export interface EdgeTestConfig {
  config: AlprConfig;
  cameras: ResolvedCamera[];
}

/** Small, fast cameras (160x120 at 5 fps) with quick watchdog and backoff, plus any overrides. */
export function edgeTestConfig(
  cameras: Array<{ id: string; url: string }>,
  overrides: Record<string, unknown> = {},
): EdgeTestConfig {
  const config = configSchema.parse({
    ingest: {
      staleAfterS: 8, // several ffmpegs probing at once on a loaded 2-core machine take a while
      offlineAfterS: 30,
      backoffInitialMs: 250,
      backoffMaxMs: 2000,
      backoffJitter: 0.2,
      stopGraceMs: 1000,
    },
    cameraDefaults: { frame: { width: 160, height: 120 }, sampleFps: 5 },
    ...overrides,
    cameras: cameras.map((c) => makeCameraConfig(c)),
  });
  return { config, cameras: config.cameras.map((c) => resolveCamera(c, config.cameraDefaults)) };
}
