// `npm run bench:geofence`: median verdict time for one camera against 10,000 random sites (target
// <= 1 ms), plus registry validation and index build times. Also checks the indexed verdicts equal a
// brute-force scan, so a fast wrong index cannot pass, and times the worst case of ring validation: a
// 2 MB registry of sawtooth rings (target <= 1 s, what an edge reload may spend off its event loop).
import { performance } from 'node:perf_hooks';
import { parseSiteRegistry, validateSiteRegistry } from '../shared/geofence/site-registry.js';
import { evaluateCamera, prepareRegistry, type SiteBuffers } from '../shared/geofence/verdict.js';
import { randomCameras, randomSitesGeoJson } from './random-sites.js';
import { SAWTOOTH_2MB, sawtoothSitesGeoJson } from './sawtooth-sites.js';

const SITES = 10_000;
const CAMERAS = 5_000;
const WARMUP = 500;
const TARGET_MEDIAN_MS = 1;
const TARGET_SAWTOOTH_MS = 1000;
const city = { centre: [-121.8863, 37.3382] as [number, number], halfSizeM: 10_000, seed: 42 };
const buffers: SiteBuffers = { reproductive_health: 30, religious_observance: 30 };

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const ms = (x: number) => `${x.toFixed(4)} ms`;

const geojson = randomSitesGeoJson(SITES, city);
let t = performance.now();
const parsed = validateSiteRegistry(geojson);
const validateMs = performance.now() - t;
if (!parsed.ok)
  throw new Error(`generated registry is invalid: ${JSON.stringify(parsed.problems.slice(0, 3))}`);
t = performance.now();
const prepared = prepareRegistry(parsed.registry);
const indexMs = performance.now() - t;

const cameras = randomCameras(CAMERAS, city);
for (let i = 0; i < WARMUP; i++) evaluateCamera(cameras[i % cameras.length]!, prepared, buffers);

const times: number[] = [];
const byOutcome: Record<'compliant' | 'nonCompliant', number[]> = { compliant: [], nonCompliant: [] };
for (const camera of cameras) {
  const start = performance.now();
  const verdict = evaluateCamera(camera, prepared, buffers);
  const elapsed = performance.now() - start;
  times.push(elapsed);
  byOutcome[verdict.compliant ? 'compliant' : 'nonCompliant'].push(elapsed);
}
times.sort((a, b) => a - b);
for (const list of Object.values(byOutcome)) list.sort((a, b) => a - b);
const nonCompliant = byOutcome.nonCompliant.length;

// Correctness: the index must find exactly what a scan of every site finds.
const bruteTimes: number[] = [];
let mismatches = 0;
for (const camera of cameras.slice(0, 200)) {
  const start = performance.now();
  const brute = evaluateCamera(camera, prepared, buffers, { useIndex: false });
  bruteTimes.push(performance.now() - start);
  const indexed = evaluateCamera(camera, prepared, buffers);
  if (JSON.stringify(brute.violations) !== JSON.stringify(indexed.violations)) mismatches += 1;
}
bruteTimes.sort((a, b) => a - b);

// Worst case for ring validation: every edge of every ring overlaps every other in longitude.
const sawtoothText = JSON.stringify(sawtoothSitesGeoJson(SAWTOOTH_2MB));
t = performance.now();
const cpuBefore = process.cpuUsage();
const sawtooth = parseSiteRegistry(sawtoothText);
const sawtoothMs = performance.now() - t;
const sawtoothCpu = process.cpuUsage(cpuBefore);
const sawtoothCpuMs = (sawtoothCpu.user + sawtoothCpu.system) / 1000;
if (!sawtooth.ok)
  throw new Error(`sawtooth registry is invalid: ${JSON.stringify(sawtooth.problems.slice(0, 3))}`);

const median = pct(times, 0.5);
const { counts, entranceCount } = parsed.registry;
console.log(
  'geofence verdict benchmark (shared, noisy machine: figures are indicative; re-run on a quiet one)',
);
console.log(
  `  node ${process.version}, ${SITES} sites (${counts.reproductive_health} reproductive_health, ${counts.religious_observance} religious_observance, ${entranceCount} entrances) over ${(2 * city.halfSizeM) / 1000} km x ${(2 * city.halfSizeM) / 1000} km`,
);
console.log(
  `  registry validate+normalise: ${validateMs.toFixed(1)} ms; spatial index build: ${indexMs.toFixed(1)} ms`,
);
console.log(
  `  ${CAMERAS} cameras (after ${WARMUP} warm-up verdicts), ${((100 * nonCompliant) / CAMERAS).toFixed(1)}% non-compliant`,
);
console.log(
  `  verdict time: median ${ms(median)}, p95 ${ms(pct(times, 0.95))}, p99 ${ms(pct(times, 0.99))}, max ${ms(times[times.length - 1]!)}`,
);
console.log(
  `  median by outcome: compliant ${ms(pct(byOutcome.compliant, 0.5))}, non-compliant ${ms(pct(byOutcome.nonCompliant, 0.5))} (overlap areas are computed only for offending sites)`,
);
console.log(
  `  brute-force scan (no index) median: ${ms(pct(bruteTimes, 0.5))}; index vs scan mismatches: ${mismatches}/200`,
);
console.log(`  target median <= ${TARGET_MEDIAN_MS} ms: ${median <= TARGET_MEDIAN_MS ? 'MET' : 'NOT MET'}`);
console.log(
  `  sawtooth registry (${(sawtoothText.length / 1e6).toFixed(2)} MB, ${SAWTOOTH_2MB.sites} rings of ${SAWTOOTH_2MB.positionsPerRing} positions): parse+validate ${sawtoothMs.toFixed(1)} ms (${sawtoothCpuMs.toFixed(0)} ms CPU); target <= ${TARGET_SAWTOOTH_MS} ms: ${sawtoothMs <= TARGET_SAWTOOTH_MS ? 'MET' : 'NOT MET'}`,
);
console.log(
  JSON.stringify({
    bench: 'geofence',
    sites: SITES,
    cameras: CAMERAS,
    validateMs: Number(validateMs.toFixed(1)),
    indexBuildMs: Number(indexMs.toFixed(1)),
    medianMs: Number(median.toFixed(4)),
    p95Ms: Number(pct(times, 0.95).toFixed(4)),
    bruteForceMedianMs: Number(pct(bruteTimes, 0.5).toFixed(4)),
    mismatches,
    targetMet: median <= TARGET_MEDIAN_MS,
    sawtoothMB: Number((sawtoothText.length / 1e6).toFixed(2)),
    sawtoothValidateMs: Number(sawtoothMs.toFixed(1)),
    sawtoothValidateCpuMs: Math.round(sawtoothCpuMs),
    sawtoothTargetMet: sawtoothMs <= TARGET_SAWTOOTH_MS,
  }),
);
if (mismatches > 0) process.exitCode = 1;
