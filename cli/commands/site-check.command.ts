// `alpr site check`: the planner's tool. Checks a proposed camera (or a batch of them) against the
// sensitive-site registry with the same verdict code the edge gate uses; optionally suggests compliant
// bearings and range, and draws a to-scale map for a site request.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { localFrame } from '../../shared/geofence/local-frame.js';
import {
  bearingRangesText,
  type CheckReport,
  checkCamera,
  reportLines,
} from '../../shared/geofence/planner-report.js';
import { type OpticsDefaults, parseProposedCameras } from '../../shared/geofence/proposed-cameras.js';
import type { CameraGeometry } from '../../shared/geofence/sector.js';
import { siteMapExtent, siteMapSvg } from '../../shared/geofence/site-map-svg.js';
import { prepareRegistry, sitesNear } from '../../shared/geofence/verdict.js';
import { resolveFrom } from '../../shared/runtime/paths.js';
import { CliError, ExitCode } from '../cli-error.js';
import { type CliEnv, loadCliConfig, printJson } from '../context.js';
import { loadRegistryOrExit } from '../planner/registry-input.js';
import { writeSiteMap } from '../planner/render-map.js';
import { checkGeoJson } from '../planner/site-geojson.js';

interface CheckOptions {
  lng?: string;
  lat?: string;
  bearing?: string;
  fov?: string;
  range?: string;
  frameWidth?: string;
  minPlatePx?: string;
  plateWidth?: string;
  sites?: string;
  config?: string;
  batch?: string;
  suggest?: boolean;
  map?: string;
  geojson?: string;
  public?: boolean;
  json?: boolean;
}

export function registerSiteCheckCommands(program: Command, env: CliEnv): void {
  const site = program
    .command('site')
    .description('Planner tools: check proposed camera sites against the sensitive-site registry');
  site
    .command('check')
    .option('--lng <deg>', 'camera longitude (WGS84)')
    .option('--lat <deg>', 'camera latitude (WGS84)')
    .option('--bearing <deg>', 'compass bearing of the view, 0 = north, 90 = east')
    .option('--fov <deg>', 'horizontal field of view, 0 < fov <= 360 (default: cameraDefaults.fovDeg)')
    .option('--range <m>', 'capture range in metres (default: derived from frame width, FOV and plate size)')
    .option('--frame-width <px>', 'frame width for the derived range (default: cameraDefaults.frame.width)')
    .option(
      '--min-plate-px <px>',
      'smallest readable plate width for the derived range (default: cameraDefaults)',
    )
    .option('--plate-width <m>', 'physical plate width for the derived range (default: cameraDefaults)')
    .option('--sites <file>', 'registry file (default: sites.registryPath from the config)')
    .option(
      '-c, --config <file>',
      'config file for buffers and camera defaults (default: $ALPR_CONFIG or built-in)',
    )
    .option(
      '--batch <file>',
      'check every camera in a CSV (lng,lat,bearing[,id,fov,range]) or GeoJSON Points file',
    )
    .option('--suggest', 'also propose compliant bearings and the largest compliant range at the bearing')
    .option('--map <file>', 'draw the sector, nearby sites and buffers to scale (PNG, or SVG by extension)')
    .option(
      '--geojson <file>',
      'write the sector, nearby sites, their buffers and the verdict as GeoJSON (for GIS tools)',
    )
    .option('--public', 'omit confidential site names from every output')
    .option('--json', 'single camera: last stdout line is the verdict JSON; batch: one JSON line per camera')
    .description('Is a proposed camera compliant? Exit 0 compliant, 1 not compliant, 2 invalid input')
    .action(async (options: CheckOptions) => {
      const loaded = loadCliConfig(env, options);
      const registryFile = options.sites
        ? resolveFrom(env.cwd, options.sites)
        : loaded.config.sites.registryPath;
      const registry = loadRegistryOrExit(registryFile);
      const prepared = prepareRegistry(registry);
      const buffers = { ...loaded.config.sites.bufferM };
      const d = loaded.config.cameraDefaults;
      const optics: OpticsDefaults = {
        fovDeg: numberOption(options.fov, '--fov', 0.001, 360) ?? d.fovDeg,
        frameWidthPx: numberOption(options.frameWidth, '--frame-width', 64, 7680) ?? d.frame.width,
        minPlateWidthPx: numberOption(options.minPlatePx, '--min-plate-px', 8, 1000) ?? d.minPlateWidthPx,
        plateWidthM: numberOption(options.plateWidth, '--plate-width', 0.1, 1) ?? d.plateWidthM,
      };
      const showNames = !options.public;
      if (options.batch) {
        if (options.map || options.geojson)
          throw new CliError(
            `${options.map ? '--map' : '--geojson'} draws one camera; leave it out with --batch`,
            ExitCode.invalidInput,
          );
        const file = resolveFrom(env.cwd, options.batch);
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (error) {
          throw new CliError(
            `cannot read ${options.batch}: ${(error as Error).message}`,
            ExitCode.invalidInput,
          );
        }
        const parsed = parseProposedCameras(text, optics);
        if (!parsed.ok)
          throw new CliError(
            `${options.batch}: ${parsed.problems.length} problem(s)`,
            ExitCode.invalidInput,
            parsed.problems,
          );
        const reports = parsed.cameras.map((c) => ({
          id: c.id,
          ...checkCamera(c.geometry, prepared, buffers, { showNames, suggest: !!options.suggest }).report,
        }));
        if (options.json) for (const r of reports) printJson(env, r);
        else printBatchTable(env, reports, registry.version);
        const bad = reports.filter((r) => !r.compliant).length;
        if (bad > 0)
          throw new CliError(`${bad} of ${reports.length} camera(s) not compliant`, ExitCode.failure);
        return;
      }
      const geometry: CameraGeometry = {
        ...optics,
        position: {
          lng: numberOption(options.lng, '--lng', -180, 180, true)!,
          lat: numberOption(options.lat, '--lat', -90, 90, true)!,
        },
        bearingDeg: numberOption(options.bearing, '--bearing', -360, 720, true)!,
        rangeM: numberOption(options.range, '--range', 0.001, 2000),
      };
      const { report, verdict } = checkCamera(geometry, prepared, buffers, {
        showNames,
        suggest: !!options.suggest,
      });
      let mapInfo: Record<string, unknown> | undefined;
      const nearby = () =>
        sitesNear(
          prepared,
          localFrame(verdict.sector.origin),
          siteMapExtent(verdict.sector, verdict.bufferM).extentM,
          0,
        );
      let geojsonInfo: Record<string, unknown> | undefined;
      if (options.geojson) {
        const sites = nearby();
        const out = resolveFrom(env.cwd, options.geojson);
        writeFileSync(
          out,
          `${JSON.stringify(checkGeoJson({ camera: geometry, verdict, sites, showNames }))}\n`,
        );
        geojsonInfo = { file: out, sites: sites.length };
      }
      if (options.map) {
        const sites = nearby();
        const { svg, metresPerPixel } = siteMapSvg({
          sector: verdict.sector,
          verdict,
          sites,
          showNames,
          generatedAt: `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
        });
        const out = resolveFrom(env.cwd, options.map);
        const written = await writeSiteMap(svg, out);
        mapInfo = {
          file: out,
          format: written.format,
          metresPerPixel: Math.round(metresPerPixel * 1000) / 1000,
          sitesDrawn: sites.length,
        };
      }
      if (options.json)
        printJson(env, {
          ...report,
          ...(mapInfo ? { map: mapInfo } : {}),
          ...(geojsonInfo ? { geojson: geojsonInfo } : {}),
        });
      else {
        for (const line of reportLines(report, registry)) env.stdout(line);
        if (mapInfo)
          env.stdout(
            `map written to ${options.map} (${mapInfo.sitesDrawn} site(s) drawn, 1 px = ${mapInfo.metresPerPixel} m)`,
          );
        if (geojsonInfo) env.stdout(`GeoJSON written to ${options.geojson} (${geojsonInfo.sites} site(s))`);
      }
      if (!report.compliant) throw new CliError('camera is not compliant', ExitCode.failure);
    });
}

/** Parse a numeric option, or end with exit 2 naming the option. */
function numberOption(
  raw: string | undefined,
  name: string,
  min: number,
  max: number,
  required = false,
): number | undefined {
  if (raw === undefined) {
    if (required) throw new CliError(`${name} is required (or use --batch FILE)`, ExitCode.invalidInput);
    return undefined;
  }
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || v < min || v > max) {
    throw new CliError(
      `${name}: expected a number from ${min} to ${max}, got "${raw}"`,
      ExitCode.invalidInput,
    );
  }
  return v;
}

function printBatchTable(env: CliEnv, reports: Array<CheckReport & { id: string }>, version: string): void {
  const suggest = reports.some((r) => r.suggestion);
  const head = [
    'camera',
    'verdict',
    'range',
    'offending sites',
    'nearest site',
    ...(suggest ? ['compliant bearings'] : []),
  ];
  const rows = reports.map((r) => [
    r.id,
    r.compliant ? 'compliant' : 'NOT COMPLIANT',
    `${r.camera.rangeM.toFixed(1)} m`,
    r.violations.map((v) => v.siteId).join(' ') || '-',
    r.nearestSite ? `${r.nearestSite.siteId} ${r.nearestSite.distanceM.toFixed(2)} m` : '-',
    ...(suggest ? [bearingRangesText(r.suggestion?.compliantBearings ?? [])] : []),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  for (const row of [head, ...rows])
    env.stdout(
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
  const ok = reports.filter((r) => r.compliant).length;
  env.stdout(
    `${reports.length} camera(s): ${ok} compliant, ${reports.length - ok} not compliant (site registry ${version.slice(0, 12)}…)`,
  );
}
