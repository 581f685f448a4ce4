// How much of one camera holds without a plate may keep past retention. One long hold is capped by the
// config (retention.holdMaxCameraRangeHours, at most 72 h); this rule stops the same thing being done with
// many holds: chained back-to-back or overlapping holds, or a pile of separate ones, would switch retention
// off for a camera. Pure: the caller passes the camera's active holds (read in the same transaction).
import type { HoldProblem, HoldScope } from './holds.js';

export interface ActiveHoldScope {
  id: number;
  scope: HoldScope;
}

type CameraScope = Extract<HoldScope, { kind: 'camera' }>;

const HOUR_MS = 3_600_000;

const isPlateless = (scope: HoldScope): scope is CameraScope =>
  scope.kind === 'camera' && scope.plate === undefined;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Problems with a new camera hold given the active holds: a plate-less camera hold may not overlap or
 * adjoin (touch) another active plate-less hold on the same camera, and all of that camera's active
 * plate-less holds together may cover at most `maxHours`. Holds naming a plate or read ids are not limited.
 * @example checkCameraHoldLimits({ kind: 'camera', cameraId: 'c1', from: 0, to: 3_600_000 }, [], 24) // []
 */
export function checkCameraHoldLimits(
  scope: HoldScope,
  active: readonly ActiveHoldScope[],
  maxHours: number,
): HoldProblem[] {
  if (!isPlateless(scope)) return [];
  const others = active.filter(
    (h): h is { id: number; scope: CameraScope } =>
      isPlateless(h.scope) && h.scope.cameraId === scope.cameraId,
  );
  const touching = others.find((h) => scope.from <= h.scope.to && h.scope.from <= scope.to);
  if (touching) {
    const overlaps = scope.from < touching.scope.to && touching.scope.from < scope.to;
    return [
      {
        field: 'from',
        message:
          `${overlaps ? 'overlaps' : 'adjoins'} active hold ${touching.id} on camera ${scope.cameraId} ` +
          `(${iso(touching.scope.from)}..${iso(touching.scope.to)}): camera holds without --plate may not be ` +
          'chained; name a plate, hold the reads by id, or release the other hold first',
      },
    ];
  }
  const heldMs = others.reduce((sum, h) => sum + (h.scope.to - h.scope.from), 0);
  if (heldMs + (scope.to - scope.from) > maxHours * HOUR_MS) {
    return [
      {
        field: 'to',
        message:
          `camera ${scope.cameraId} already has ${formatHours(heldMs)} h under ${others.length} active hold(s) ` +
          `without --plate; with this one it would exceed ${maxHours} h (retention.holdMaxCameraRangeHours)`,
      },
    ];
  }
  return [];
}

function formatHours(ms: number): string {
  return (Math.round((ms / HOUR_MS) * 100) / 100).toString();
}
