// The camera geometry hash: what a verdict is valid for. It covers exactly the inputs of the capture
// area (position, bearing, FOV, and the range or the optics that derive it) and never the stream URL,
// credentials or tunables that cannot move the sector, so re-aiming a camera invalidates its verdict
// and changing its frame rate does not.
import { hashCanonical } from '../canonical-json.js';
import type { ResolvedCamera } from '../config/camera.schema.js';
import { type CameraGeometry, normaliseBearing } from './sector.js';

/** Bump when the capture-area model changes, so every verdict made by the old model goes stale. */
export const CAPTURE_MODEL_VERSION = 'sector-v1';

/** The geometry inputs of a configured camera (the whole frame width counts: ROI does not narrow the lens). */
export function cameraGeometryOf(camera: ResolvedCamera): CameraGeometry {
  return {
    position: { lng: camera.position.lng, lat: camera.position.lat },
    bearingDeg: camera.bearingDeg,
    fovDeg: camera.fovDeg,
    rangeM: camera.rangeM,
    frameWidthPx: camera.frame.width,
    minPlateWidthPx: camera.minPlateWidthPx,
    plateWidthM: camera.plateWidthM,
  };
}

/** The canonical geometry config that the hash is computed over (also stored beside the camera). */
export function cameraGeometryConfig(camera: CameraGeometry): Record<string, unknown> {
  const range =
    camera.rangeM !== undefined
      ? { rangeM: camera.rangeM }
      : {
          derivedRange: {
            frameWidthPx: camera.frameWidthPx,
            minPlateWidthPx: camera.minPlateWidthPx,
            plateWidthM: camera.plateWidthM,
          },
        };
  return {
    model: CAPTURE_MODEL_VERSION,
    position: { lng: camera.position.lng, lat: camera.position.lat },
    bearingDeg: normaliseBearing(camera.bearingDeg),
    fovDeg: camera.fovDeg,
    ...range,
  };
}

/**
 * Hex SHA-256 of the camera's canonical geometry config.
 * @example cameraHash({ position: { lng: -121.89, lat: 37.33 }, bearingDeg: 90, fovDeg: 40, rangeM: 30, ... })
 */
export function cameraHash(camera: CameraGeometry): string {
  return hashCanonical(cameraGeometryConfig(camera));
}
