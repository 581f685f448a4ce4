// What a planner's check reports for one proposed camera (`alpr site check` and the hub's site-check
// page): the verdict plus what a planner needs to act on it (nearest site, suggested bearings and range),
// as a JSON-ready object and as text lines.
import { SITE_CATEGORIES } from '../config/geofence.schema.js';
import type { CameraGeometry } from './sector.js';
import type { SiteRegistry } from './site-registry.js';
import { type BearingRange, compliantBearings, MAX_RANGE_M, maxCompliantRange } from './suggest.js';
import { evaluateCamera, type PreparedRegistry, type SiteBuffers, type Verdict } from './verdict.js';

/** How far `nearestSite` looks for the closest site when none offends. */
export const NEAREST_SEARCH_M = 1000;

export interface CheckReport {
  compliant: boolean;
  violations: Array<{
    siteId: string;
    category: string;
    distanceM: number;
    overlapM2: number;
    bufferM: number;
    nearest: string;
    name?: string;
  }>;
  registryVersion: string;
  cameraHash: string;
  camera: {
    lng: number;
    lat: number;
    bearingDeg: number;
    fovDeg: number;
    rangeM: number;
    rangeSource: string;
  };
  bufferM: SiteBuffers;
  nearestSite: { siteId: string; category: string; distanceM: number } | null;
  suggestion?: { compliantBearings: BearingRange[]; maxCompliantRangeM: number; rangeSearchLimitM: number };
}

/** Evaluate one camera and gather the report; names are included only when `showNames`. */
export function checkCamera(
  geometry: CameraGeometry,
  prepared: PreparedRegistry,
  buffers: SiteBuffers,
  options: { showNames: boolean; suggest: boolean },
): { report: CheckReport; verdict: Verdict } {
  const verdict = evaluateCamera(geometry, prepared, buffers);
  const names = new Map(prepared.registry.sites.map((s) => [s.id, s.name]));
  const wide = Object.fromEntries(SITE_CATEGORIES.map((c) => [c, NEAREST_SEARCH_M])) as SiteBuffers;
  const closest = evaluateCamera(geometry, prepared, wide).violations[0];
  const { sector } = verdict;
  const report: CheckReport = {
    compliant: verdict.compliant,
    violations: verdict.violations.map((v) => {
      const name = options.showNames ? names.get(v.siteId) : undefined;
      return { ...v, ...(name !== undefined ? { name } : {}) };
    }),
    registryVersion: verdict.registryVersion,
    cameraHash: verdict.cameraHash,
    camera: {
      lng: sector.origin[0],
      lat: sector.origin[1],
      bearingDeg: sector.bearingDeg,
      fovDeg: sector.fovDeg,
      rangeM: Math.round(sector.rangeM * 100) / 100,
      rangeSource: sector.rangeSource,
    },
    bufferM: verdict.bufferM,
    nearestSite: closest
      ? { siteId: closest.siteId, category: closest.category, distanceM: closest.distanceM }
      : null,
  };
  if (options.suggest) {
    report.suggestion = {
      compliantBearings: compliantBearings(geometry, prepared, buffers),
      maxCompliantRangeM: maxCompliantRange(geometry, prepared, buffers),
      rangeSearchLimitM: MAX_RANGE_M,
    };
  }
  return { report, verdict };
}

export const bearingRangesText = (ranges: readonly BearingRange[]) =>
  ranges.length === 0
    ? 'none'
    : ranges
        .map((r) => (r.fromDeg === 0 && r.toDeg === 360 ? 'any bearing' : `${r.fromDeg}°–${r.toDeg}°`))
        .join(', ');

/** Human-readable lines for one report. */
export function reportLines(report: CheckReport, registry: SiteRegistry): string[] {
  const c = report.camera;
  const lines = [
    `camera at ${c.lat.toFixed(6)}, ${c.lng.toFixed(6)} looking ${c.bearingDeg}° (FOV ${c.fovDeg}°), range ${c.rangeM.toFixed(1)} m (${c.rangeSource})`,
    `site registry ${report.registryVersion.slice(0, 12)}… (${registry.sites.length} sites); buffers: ${Object.entries(
      report.bufferM,
    )
      .map(([k, v]) => `${k} ${v} m`)
      .join(', ')}`,
  ];
  if (report.compliant) {
    lines.push('COMPLIANT: no sensitive site or buffer reaches the capture area');
    const n = report.nearestSite;
    lines.push(
      n
        ? `nearest site: ${n.siteId} (${n.category}) ${n.distanceM.toFixed(2)} m from the capture area`
        : `no site within ${NEAREST_SEARCH_M} m`,
    );
  } else {
    lines.push(`NOT COMPLIANT: the capture area reaches ${report.violations.length} sensitive site(s)`);
    const named = report.violations.some((v) => v.name !== undefined);
    const head = [
      'site',
      'category',
      'distance',
      'overlap',
      'nearest part',
      'buffer',
      ...(named ? ['name'] : []),
    ];
    const rows = report.violations.map((v) => [
      v.siteId,
      v.category,
      `${v.distanceM.toFixed(2)} m`,
      `${v.overlapM2.toFixed(2)} m²`,
      v.nearest,
      `${v.bufferM} m`,
      ...(named ? [v.name ?? ''] : []),
    ]);
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    for (const row of [head, ...rows])
      lines.push(
        `  ${row
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')
          .trimEnd()}`,
      );
  }
  if (report.suggestion) {
    const s = report.suggestion;
    lines.push(
      `compliant bearings with FOV ${c.fovDeg}° and range ${c.rangeM.toFixed(1)} m: ${bearingRangesText(s.compliantBearings)}`,
    );
    lines.push(
      s.maxCompliantRangeM === 0
        ? `at bearing ${c.bearingDeg}°: no compliant range (the camera position itself is on a site or within its buffer)`
        : s.maxCompliantRangeM >= s.rangeSearchLimitM
          ? `at bearing ${c.bearingDeg}°: compliant at any range up to ${s.rangeSearchLimitM} m`
          : `at bearing ${c.bearingDeg}°: largest compliant range ${s.maxCompliantRangeM.toFixed(1)} m`,
    );
  }
  lines.push(`camera hash ${report.cameraHash}`);
  return lines;
}
