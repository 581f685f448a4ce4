// Synthetic camera frames with plates at known boxes: a grey road, optionally the rear of a car
// around each plate, the plates composited on top. Tests use them to check reads end to end; the
// demo renders one per frame to make traffic clips.
import sharp from 'sharp';
import type { RawImage } from '../../edge/recognition/raw-image.js';
import type { PixelBox } from '../../shared/plates/box-geometry.js';
import { type CameraOverlay, overlaySvg } from './camera-overlay.js';
import { type PlateStyle, renderPlatePng } from './render-plate.js';

export interface ScenePlate {
  text: string;
  /** Where the plate goes (frame pixels); its height is half its width. */
  at: { x: number; y: number; width: number };
  /** Draw the rear of a car around the plate (default true). */
  car?: boolean;
  style?: Partial<PlateStyle>;
}

export interface SceneOptions {
  width: number;
  height: number;
  plates: ScenePlate[];
  /** A camera's on-screen display (timestamp, camera name) over the scene. */
  overlay?: CameraOverlay;
}

export interface RenderedScene {
  image: RawImage;
  /** Each plate's text and box in frame pixels (whole pixels, as composited). */
  plates: Array<{ text: string; box: PixelBox }>;
}

const CAR_COLOURS = ['#2f4f6f', '#7a2a2a', '#3b3b3b', '#9a9a9a', '#1f3d2b', '#c8c8c0'];

function colourFor(text: string): string {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return CAR_COLOURS[h % CAR_COLOURS.length]!;
}

/** The plate's box in whole pixels. */
export function plateBox(p: ScenePlate): PixelBox {
  const width = Math.max(8, Math.round(p.at.width));
  return { x: Math.round(p.at.x), y: Math.round(p.at.y), width, height: Math.round(width / 2) };
}

/**
 * Road and cars as SVG (pure), without the plates.
 * @example sceneSvg({ width: 1280, height: 720, plates: [{ text: '7ABC123', at: { x: 560, y: 420, width: 160 } }] })
 */
export function sceneSvg(options: SceneOptions): string {
  const { width: w, height: h } = options;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">`,
    '<defs><linearGradient id="road" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#8a8d90"/><stop offset="1" stop-color="#4d4f52"/></linearGradient></defs>',
    `<rect width="${w}" height="${h}" fill="url(#road)"/>`,
    `<rect y="${h * 0.92}" width="${w}" height="${h * 0.08}" fill="#9d9a8f"/>`,
  ];
  for (let x = w * 0.05; x < w; x += w * 0.2) {
    parts.push(
      `<rect x="${x.toFixed(0)}" y="${(h * 0.12).toFixed(0)}" width="${(w * 0.09).toFixed(0)}" height="${Math.max(2, h * 0.012).toFixed(0)}" fill="#e8e8e0"/>`,
    );
  }
  for (const p of options.plates) {
    if (p.car === false) continue;
    const b = plateBox(p);
    const cw = b.width * 5;
    const ch = b.width * 2.6;
    const cx = b.x + b.width / 2 - cw / 2;
    const cy = b.y + b.height * 1.6 - ch;
    const body = colourFor(p.text);
    parts.push(
      `<rect x="${cx}" y="${cy}" width="${cw}" height="${ch}" rx="${b.width * 0.4}" fill="${body}"/>`,
      `<rect x="${cx + cw * 0.12}" y="${cy + ch * 0.08}" width="${cw * 0.76}" height="${ch * 0.32}" rx="${b.width * 0.15}" fill="#1c2328"/>`,
      `<rect x="${cx + cw * 0.04}" y="${cy + ch * 0.5}" width="${cw * 0.14}" height="${ch * 0.12}" fill="#c0262d"/>`,
      `<rect x="${cx + cw * 0.82}" y="${cy + ch * 0.5}" width="${cw * 0.14}" height="${ch * 0.12}" fill="#c0262d"/>`,
      `<rect x="${cx}" y="${cy + ch * 0.9}" width="${cw}" height="${ch * 0.1}" fill="#202020"/>`,
    );
  }
  if (options.overlay) parts.push(overlaySvg(options.overlay, w, h));
  parts.push('</svg>');
  return parts.join('');
}

/** Render a scene to packed RGB24 with every plate at its box. */
export async function renderScene(options: SceneOptions): Promise<RenderedScene> {
  const plates = options.plates.map((p) => ({ text: p.text, box: plateBox(p) }));
  for (const { box } of plates) {
    if (box.x < 0 || box.y < 0 || box.x + box.width > options.width || box.y + box.height > options.height) {
      throw new RangeError(
        `plate box ${box.width}x${box.height}+${box.x}+${box.y} is outside the ${options.width}x${options.height} frame`,
      );
    }
  }
  const overlays = await Promise.all(
    options.plates.map(async (p, i) => {
      const box = plates[i]!.box;
      const png = await sharp(await renderPlatePng(p.text, p.style))
        .resize(box.width, box.height, { fit: 'fill' })
        .png()
        .toBuffer();
      return { input: png, left: box.x, top: box.y };
    }),
  );
  const { data, info } = await sharp(Buffer.from(sceneSvg(options)))
    .composite(overlays)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.width !== options.width || info.height !== options.height) {
    throw new Error(
      `rendered scene is ${info.width}x${info.height}, expected ${options.width}x${options.height}`,
    );
  }
  return { image: { width: info.width, height: info.height, data }, plates };
}

/** Encode a rendered image as JPEG (for files the CLI reads, or clips the demo builds). */
export function toJpeg(image: RawImage, quality = 90): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .jpeg({ quality })
    .toBuffer();
}
