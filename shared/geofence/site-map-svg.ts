// The planner's map as an SVG string: the capture sector, nearby sites with their buffers and
// entrances, drawn to scale in the camera's local metric frame (north up), with a scale bar, north
// arrow, legend and the verdict. Pure: the CLI renders it to PNG with sharp.
import type { SiteCategory } from '../config/geofence.schema.js';
import { type LocalFrame, type LocalXy, localFrame } from './local-frame.js';
import { type CaptureSector, SectorShape } from './sector.js';
import type { Site } from './site-registry.js';
import type { SiteBuffers, Verdict } from './verdict.js';

export interface SiteMapInput {
  sector: CaptureSector;
  verdict: Verdict;
  /** Sites to draw (the caller picks those near the camera). */
  sites: readonly Site[];
  /** false for `--public`: no site name appears anywhere on the map. */
  showNames: boolean;
  /** Shown in the footer, e.g. an ISO timestamp. */
  generatedAt?: string;
}

const MAP = 800; // map panel, px square
const WIDTH = 1200;
const HEIGHT = 900;
const COLOURS: Record<SiteCategory, { fill: string; stroke: string; buffer: string; label: string }> = {
  reproductive_health: {
    fill: '#8e44ad',
    stroke: '#5b2c6f',
    buffer: '#d7bde2',
    label: 'Reproductive health facility',
  },
  religious_observance: {
    fill: '#1f618d',
    stroke: '#154360',
    buffer: '#aed6f1',
    label: 'Place of religious observance',
  },
};
const FONT = 'font-family="DejaVu Sans, Verdana, sans-serif"';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const n = (v: number) => (Math.round(v * 100) / 100).toString();

/** A round scale-bar length (1, 2 or 5 × 10^k metres) near a quarter of the map width. */
export function niceScaleLength(mapWidthM: number): number {
  const target = mapWidthM / 4;
  const p = 10 ** Math.floor(Math.log10(target));
  return [5, 2, 1].map((m) => m * p).find((len) => len <= target) ?? p;
}

/**
 * The square area a map of this camera shows, in metres of the camera's frame: the sector grown by
 * the largest buffer (what the verdict looked at), with a margin.
 */
export function siteMapExtent(sector: CaptureSector, bufferM: SiteBuffers) {
  const maxBuffer = Math.max(...Object.values(bufferM));
  const [minX, minY, maxX, maxY] = new SectorShape(sector.bearingDeg, sector.fovDeg, sector.rangeM).bbox();
  const centre: LocalXy = [(minX + maxX) / 2, (minY + maxY) / 2];
  const half = Math.max(40, (Math.max(maxX - minX, maxY - minY) / 2 + maxBuffer) * 1.25);
  const extentM: [number, number, number, number] = [
    centre[0] - half,
    centre[1] - half,
    centre[0] + half,
    centre[1] + half,
  ];
  return { centre, half, extentM };
}

/**
 * Render the map; `metresPerPixel` tells the caller the scale it chose.
 * @example siteMapSvg({ sector, verdict, sites, showNames: false }).svg // '<svg ...'
 */
export function siteMapSvg(input: SiteMapInput): {
  svg: string;
  metresPerPixel: number;
  /** The area drawn, in metres of the camera's frame: [minX, minY, maxX, maxY]. */
  extentM: [number, number, number, number];
} {
  const { sector, verdict } = input;
  const frame = localFrame(sector.origin);
  const { centre, half, extentM } = siteMapExtent(sector, verdict.bufferM);
  const scale = MAP / (2 * half); // px per metre
  const px = ([x, y]: LocalXy): LocalXy => [
    MAP / 2 + (x - centre[0]) * scale,
    MAP / 2 - (y - centre[1]) * scale,
  ];
  const path = (ring: readonly LocalXy[]) => `M${ring.map((p) => px(p).map(n).join(',')).join('L')}Z`;
  const parts: string[] = [];
  parts.push(`<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);
  parts.push(
    `<rect x="0" y="0" width="${MAP}" height="${MAP}" fill="#f7f7f4" stroke="#555" stroke-width="1"/>`,
  );
  parts.push(
    '<clipPath id="map"><rect x="0" y="0" width="800" height="800"/></clipPath><g clip-path="url(#map)">',
  );
  parts.push(gridLines(half, scale, px));
  parts.push(sitesLayer(input.sites, frame, verdict.bufferM, scale, px, path));
  parts.push(sectorLayer(sector, verdict.compliant, scale, px, path));
  parts.push(siteLabels(input, frame, px));
  parts.push('</g>');
  parts.push(northArrow());
  parts.push(scaleBar(half, scale));
  parts.push(sidePanel(input));
  parts.push(footer(input, 1 / scale));
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">${parts.join('')}</svg>`;
  return { svg, metresPerPixel: 1 / scale, extentM };
}

function gridLines(half: number, scale: number, px: (p: LocalXy) => LocalXy): string {
  const step = niceScaleLength(2 * half);
  const [x0, y0] = px([0, 0]); // grid lines pass through the camera
  const lines: string[] = [];
  const stepPx = step * scale;
  for (let p = x0 - Math.ceil(x0 / stepPx) * stepPx; p <= MAP; p += stepPx) lines.push(`M${n(p)},0V${MAP}`);
  for (let p = y0 - Math.ceil(y0 / stepPx) * stepPx; p <= MAP; p += stepPx) lines.push(`M0,${n(p)}H${MAP}`);
  return `<path d="${lines.join('')}" stroke="#e3e3dc" stroke-width="1" fill="none"/>`;
}

type Px = (p: LocalXy) => LocalXy;
type PathOf = (ring: readonly LocalXy[]) => string;

function sitesLayer(
  sites: readonly Site[],
  frame: LocalFrame,
  buffers: SiteBuffers,
  scale: number,
  px: Px,
  path: PathOf,
): string {
  const buffer: string[] = [];
  const parcels: string[] = [];
  const doors: string[] = [];
  for (const site of sites) {
    const c = COLOURS[site.category];
    const width = 2 * buffers[site.category] * scale;
    // The buffer zone drawn exactly: the parcel plus a stroke of twice the buffer with round joins
    // is the parcel grown by the buffer (its Minkowski sum with a disc).
    if (site.parcel.kind === 'circle') {
      const [cx, cy] = px(frame.toXy(site.parcel.center));
      const r = (site.parcel.radiusM + buffers[site.category]) * scale;
      buffer.push(`<circle cx="${n(cx)}" cy="${n(cy)}" r="${n(r)}" fill="${c.buffer}"/>`);
      parcels.push(
        `<circle cx="${n(cx)}" cy="${n(cy)}" r="${n(site.parcel.radiusM * scale)}" fill="${c.fill}" fill-opacity="0.55" stroke="${c.stroke}" stroke-width="1.5"/>`,
      );
    } else {
      const d = site.parcel.polygons
        .map((poly) => poly.map((ring) => path(ring.map((p) => frame.toXy(p)))).join(''))
        .join('');
      buffer.push(
        `<path d="${d}" fill="${c.buffer}" stroke="${c.buffer}" stroke-width="${n(width)}" stroke-linejoin="round"/>`,
      );
      parcels.push(
        `<path d="${d}" fill="${c.fill}" fill-opacity="0.55" fill-rule="evenodd" stroke="${c.stroke}" stroke-width="1.5"/>`,
      );
    }
    for (const e of site.entrances) {
      if (e.kind === 'point') {
        const [x, y] = px(frame.toXy(e.at));
        buffer.push(`<circle cx="${n(x)}" cy="${n(y)}" r="${n(width / 2)}" fill="${c.buffer}"/>`);
        doors.push(
          `<rect x="${n(x - 5)}" y="${n(y - 5)}" width="10" height="10" fill="#fff" stroke="${c.stroke}" stroke-width="2.5"/>`,
        );
      } else {
        const pts = e.path.map((p) => px(frame.toXy(p)).map(n).join(',')).join(' ');
        buffer.push(
          `<polyline points="${pts}" fill="none" stroke="${c.buffer}" stroke-width="${n(width)}" stroke-linecap="round" stroke-linejoin="round"/>`,
        );
        doors.push(
          `<polyline points="${pts}" fill="none" stroke="${c.stroke}" stroke-width="3" stroke-dasharray="8 4"/>`,
        );
      }
    }
  }
  // One translucent group, so overlapping buffers do not darken each other.
  return `<g opacity="0.6">${buffer.join('')}</g>${parcels.join('')}${doors.join('')}`;
}

function sectorLayer(sector: CaptureSector, compliant: boolean, scale: number, px: Px, path: PathOf): string {
  const shape = new SectorShape(sector.bearingDeg, sector.fovDeg, sector.rangeM);
  const colour = compliant ? '#1e8449' : '#c0392b';
  const outline = shape.outline(0.5);
  const d = path(outline);
  const [cx, cy] = px([0, 0]);
  const axis = px([
    Math.sin((sector.bearingDeg * Math.PI) / 180) * sector.rangeM,
    Math.cos((sector.bearingDeg * Math.PI) / 180) * sector.rangeM,
  ]);
  return (
    `<path d="${d}" fill="${colour}" fill-opacity="0.25" stroke="${colour}" stroke-width="2.5"/>` +
    `<line x1="${n(cx)}" y1="${n(cy)}" x2="${n(axis[0])}" y2="${n(axis[1])}" stroke="${colour}" stroke-width="1.5" stroke-dasharray="6 4"/>` +
    `<circle cx="${n(cx)}" cy="${n(cy)}" r="${n(Math.max(6, 0.5 * scale))}" fill="#222" stroke="#fff" stroke-width="2"/>`
  );
}

function siteLabels(input: SiteMapInput, frame: LocalFrame, px: Px): string {
  const offending = new Set(input.verdict.violations.map((v) => v.siteId));
  return input.sites
    .map((site) => {
      const [minLng, minLat, maxLng, maxLat] = site.bbox;
      const [x, y] = px(frame.toXy([(minLng + maxLng) / 2, (minLat + maxLat) / 2]));
      const text = input.showNames && site.name ? `${site.id} · ${site.name}` : site.id;
      const weight = offending.has(site.id) ? 'bold' : 'normal';
      return `<text x="${n(x)}" y="${n(y)}" ${FONT} font-size="14" font-weight="${weight}" text-anchor="middle" fill="#111" stroke="#fff" stroke-width="3" paint-order="stroke">${esc(text)}</text>`;
    })
    .join('');
}

function northArrow(): string {
  return (
    '<g transform="translate(40,30)"><path d="M0,0 L14,40 L0,30 L-14,40 Z" fill="#222"/>' +
    `<text x="0" y="62" ${FONT} font-size="18" font-weight="bold" text-anchor="middle" fill="#222">N</text></g>`
  );
}

function scaleBar(half: number, scale: number): string {
  const len = niceScaleLength(2 * half);
  const w = len * scale;
  const x0 = 24;
  const y0 = MAP - 30;
  return (
    `<rect x="${x0 - 8}" y="${y0 - 26}" width="${n(w + 16)}" height="42" fill="#fff" fill-opacity="0.85"/>` +
    `<rect x="${x0}" y="${y0}" width="${n(w / 2)}" height="8" fill="#222"/>` +
    `<rect x="${n(x0 + w / 2)}" y="${y0}" width="${n(w / 2)}" height="8" fill="#fff" stroke="#222"/>` +
    `<text x="${x0}" y="${y0 - 6}" ${FONT} font-size="14" fill="#222">0</text>` +
    `<text x="${n(x0 + w)}" y="${y0 - 6}" ${FONT} font-size="14" text-anchor="end" fill="#222">${len} m</text>`
  );
}

function sidePanel(input: SiteMapInput): string {
  const { verdict } = input;
  const x = MAP + 24;
  const lines: string[] = [];
  let y = 40;
  const text = (s: string, size = 15, extra = '') => {
    const fill = extra.includes('fill=') ? '' : 'fill="#111"';
    lines.push(`<text x="${x}" y="${y}" ${FONT} font-size="${size}" ${fill} ${extra}>${esc(s)}</text>`);
    y += size + 9;
  };
  text('Camera site check', 22, 'font-weight="bold"');
  y += 6;
  text(
    verdict.compliant ? 'COMPLIANT' : 'NOT COMPLIANT',
    26,
    `font-weight="bold" fill="${verdict.compliant ? '#1e8449' : '#c0392b'}"`,
  );
  if (verdict.compliant) text('No site or buffer in the capture area.', 14);
  const names = new Map(input.sites.map((s) => [s.id, s.name]));
  for (const v of verdict.violations.slice(0, 8)) {
    const name = input.showNames ? names.get(v.siteId) : undefined;
    text(`${v.siteId}${name ? ` · ${name}` : ''}`, 14, 'font-weight="bold"');
    text(`  ${v.category}`, 13);
    text(`  ${v.distanceM.toFixed(2)} m from ${v.nearest} (buffer ${v.bufferM} m)`, 13);
    text(`  overlap ${v.overlapM2.toFixed(1)} m²`, 13);
  }
  if (verdict.violations.length > 8) text(`… and ${verdict.violations.length - 8} more`, 13);
  y = Math.max(y + 10, 560);
  text('Legend', 16, 'font-weight="bold"');
  const swatch = (fill: string, label: string, stroke = 'none', opacity = 1) => {
    lines.push(
      `<rect x="${x}" y="${y - 13}" width="22" height="16" fill="${fill}" fill-opacity="${opacity}" stroke="${stroke}" stroke-width="2"/>`,
    );
    lines.push(`<text x="${x + 32}" y="${y}" ${FONT} font-size="13" fill="#111">${esc(label)}</text>`);
    y += 24;
  };
  const sectorColour = verdict.compliant ? '#1e8449' : '#c0392b';
  swatch(sectorColour, 'Capture area (camera sector)', sectorColour, 0.25);
  for (const c of Object.values(COLOURS)) swatch(c.fill, c.label, c.stroke, 0.55);
  for (const [category, c] of Object.entries(COLOURS))
    swatch(c.buffer, `Buffer ${verdict.bufferM[category as SiteCategory]} m (${category})`);
  lines.push(
    `<rect x="${x + 6}" y="${y - 11}" width="10" height="10" fill="#fff" stroke="#333" stroke-width="2.5"/>`,
  );
  lines.push(
    `<text x="${x + 32}" y="${y}" ${FONT} font-size="13" fill="#111">Entrance (dashed: driveway)</text>`,
  );
  return lines.join('');
}

function footer(input: SiteMapInput, metresPerPixel: number): string {
  const { sector, verdict } = input;
  const [lng, lat] = sector.origin;
  const rows = [
    `Camera ${lat.toFixed(6)}, ${lng.toFixed(6)} · bearing ${sector.bearingDeg}° · FOV ${sector.fovDeg}° · range ${sector.rangeM.toFixed(1)} m (${sector.rangeSource})`,
    `Site registry ${verdict.registryVersion.slice(0, 16)}… · camera hash ${verdict.cameraHash.slice(0, 16)}…`,
    `Drawn to scale in the camera's local metric frame, north up, 1 px = ${metresPerPixel.toFixed(3)} m${input.generatedAt ? ` · generated ${input.generatedAt}` : ''}${input.showNames ? ' · CONFIDENTIAL: shows site names' : ''}`,
  ];
  return rows
    .map(
      (r, i) => `<text x="16" y="${MAP + 32 + i * 24}" ${FONT} font-size="14" fill="#333">${esc(r)}</text>`,
    )
    .join('');
}
