// The map on a search result page: the cameras that saw the plate, each drawn as its capture sector to
// scale in a local metric frame (north up), numbered, with a scale bar and north arrow. Pure: numbers
// in, an SVG string out; every text it draws is escaped here.
import { type LocalXy, localFrame } from '../../shared/geofence/local-frame.js';
import { niceScaleLength } from '../../shared/geofence/site-map-svg.js';
import { escapeHtml } from './html.js';

export interface MapCamera {
  /** shown as a number on the map and in the list next to it */
  index: number;
  lng: number;
  lat: number;
  bearingDeg: number;
  fovDeg: number;
  rangeM: number;
}

const SIZE = 640;
const n = (v: number) => (Math.round(v * 10) / 10).toString();

function sector(c: MapCamera, origin: LocalXy): LocalXy[] {
  const points: LocalXy[] = [origin];
  const steps = Math.max(2, Math.ceil(c.fovDeg / 5));
  for (let i = 0; i <= steps; i++) {
    const b = ((c.bearingDeg - c.fovDeg / 2 + (c.fovDeg * i) / steps) * Math.PI) / 180;
    points.push([origin[0] + c.rangeM * Math.sin(b), origin[1] + c.rangeM * Math.cos(b)]);
  }
  return points;
}

/** An SVG of the cameras, or '' when there are none. `title` labels it for assistive technology. */
export function cameraMapSvg(cameras: readonly MapCamera[], title: string): string {
  if (cameras.length === 0) return '';
  const lng = cameras.reduce((s, c) => s + c.lng, 0) / cameras.length;
  const lat = cameras.reduce((s, c) => s + c.lat, 0) / cameras.length;
  const frame = localFrame([lng, lat]);
  const shapes = cameras.map((c) => ({ c, ring: sector(c, frame.toXy([c.lng, c.lat])) }));
  const all = shapes.flatMap((s) => s.ring);
  const minX = Math.min(...all.map((p) => p[0]));
  const maxX = Math.max(...all.map((p) => p[0]));
  const minY = Math.min(...all.map((p) => p[1]));
  const maxY = Math.max(...all.map((p) => p[1]));
  const half = Math.max(50, Math.max(maxX - minX, maxY - minY) / 2) * 1.2;
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  const scale = SIZE / (2 * half);
  const px = ([x, y]: LocalXy): [number, number] => [
    SIZE / 2 + (x - cx) * scale,
    SIZE / 2 - (y - cy) * scale,
  ];
  const parts: string[] = [`<rect width="${SIZE}" height="${SIZE}" fill="#f7f7f4" stroke="#555"/>`];
  for (const { c, ring } of shapes) {
    const d = `M${ring.map((p) => px(p).map(n).join(',')).join('L')}Z`;
    const [ox, oy] = px(ring[0]!);
    parts.push(`<path d="${d}" fill="#f5b7b1" fill-opacity="0.6" stroke="#922b21" stroke-width="1.5"/>`);
    parts.push(`<circle cx="${n(ox)}" cy="${n(oy)}" r="11" fill="#13294b"/>`);
    parts.push(
      `<text x="${n(ox)}" y="${n(oy + 4.5)}" font-size="13" text-anchor="middle" fill="#ffffff" font-family="DejaVu Sans, sans-serif">${c.index}</text>`,
    );
  }
  const bar = niceScaleLength(2 * half);
  parts.push(
    `<rect x="16" y="${SIZE - 34}" width="${n(bar * scale + 16)}" height="24" fill="#ffffff" fill-opacity="0.85"/>`,
    `<path d="M24,${SIZE - 16}h${n(bar * scale)}" stroke="#000" stroke-width="3"/>`,
    `<text x="24" y="${SIZE - 21}" font-size="11" font-family="DejaVu Sans, sans-serif">${bar} m</text>`,
    `<path d="M${SIZE - 30},52L${SIZE - 22},30L${SIZE - 14},52Z" fill="#000"/>`,
    `<text x="${SIZE - 22}" y="68" font-size="12" text-anchor="middle" font-family="DejaVu Sans, sans-serif">N</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(title)}" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">${parts.join('')}</svg>`;
}
