// Synthetic licence plates with known text, for tests and the demo: an SVG drawn by sharp (librsvg).
// By default the lettering is the project's own stroked glyphs (plate-glyphs.ts), so no font is needed.
// With lettering 'font', bold DejaVu Sans Mono with margins reads reliably; proportional faces squeezed
// to the full width lose characters, and a missing face silently falls back, so the face is checked.
import sharp from 'sharp';
import type { RawImage } from '../../edge/recognition/raw-image.js';
import { assertFontInstalled } from './fonts.js';
import { glyphLineSvg } from './plate-glyphs.js';

export interface PlateStyle {
  width: number;
  height: number;
  /** Small red name at the top ('' for none). */
  state: string;
  /** 'paths': the project's own glyphs (no fonts needed, the default); 'font': `fontFamily`, bold. */
  lettering: 'paths' | 'font';
  fontFamily: string;
  background: string;
  ink: string;
  border: string;
}

export const DEFAULT_PLATE_STYLE: PlateStyle = {
  width: 300,
  height: 150,
  state: 'CALIFORNIA',
  lettering: 'paths',
  fontFamily: 'DejaVu Sans Mono',
  background: '#ffffff',
  ink: '#1b1f4a',
  border: '#1a1a1a',
};

/** DejaVu Sans Mono's advance width, in em. */
const MONO_ADVANCE_EM = 0.602;

const escapeXml = (s: string) =>
  s.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );

/**
 * The plate as SVG (pure): border, state name, and the text centred with at least 10% margins.
 * @example plateSvg('7ABC123') // '<svg ...>...7ABC123...</svg>'
 */
export function plateSvg(text: string, style: Partial<PlateStyle> = {}): string {
  const s = { ...DEFAULT_PLATE_STYLE, ...style };
  if (!/^[A-Z0-9 -]{1,10}$/.test(text)) {
    throw new RangeError(`plate text must be 1-10 of A-Z, 0-9, space or dash, got "${text}"`);
  }
  const fontSize = Math.min(s.height * 0.42, (s.width * 0.8) / (text.length * MONO_ADVANCE_EM));
  const stroke = Math.max(2, Math.round(s.width / 75));
  const stateSize = s.height * 0.14;
  const frame = `<rect x="${stroke / 2}" y="${stroke / 2}" width="${s.width - stroke}" height="${s.height - stroke}" rx="${s.height / 15}" fill="${s.background}" stroke="${s.border}" stroke-width="${stroke}"/>`;
  if (s.lettering === 'paths') {
    const number = glyphLineSvg({
      text,
      centreX: s.width / 2,
      centreY: s.height * 0.56,
      height: s.height * 0.4,
      maxWidth: s.width * 0.82,
      strokePx: Math.max(1.5, s.height * 0.047),
      colour: s.ink,
    });
    const state = s.state
      ? glyphLineSvg({
          text: s.state.toUpperCase(),
          centreX: s.width / 2,
          centreY: s.height * 0.17,
          height: stateSize,
          maxWidth: s.width * 0.6,
          strokePx: Math.max(1, s.height * 0.016),
          colour: '#b22222',
        })
      : '';
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${s.width}" height="${s.height}">${frame}${state}${number}</svg>`;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${s.width}" height="${s.height}">`,
    frame,
    s.state
      ? `<text x="${s.width / 2}" y="${s.height * 0.22}" font-family="DejaVu Sans" font-weight="bold" font-size="${stateSize.toFixed(1)}" fill="#b22222" text-anchor="middle">${escapeXml(s.state)}</text>`
      : '',
    `<text x="${s.width / 2}" y="${s.height * 0.5 + fontSize * 0.36}" font-family="${escapeXml(s.fontFamily)}" font-weight="bold" font-size="${fontSize.toFixed(1)}" fill="${s.ink}" text-anchor="middle">${escapeXml(text)}</text>`,
    '</svg>',
  ].join('');
}

/** Render a plate to PNG (checks the font is installed first). */
export async function renderPlatePng(text: string, style: Partial<PlateStyle> = {}): Promise<Buffer> {
  const s = { ...DEFAULT_PLATE_STYLE, ...style };
  if (s.lettering === 'font') {
    assertFontInstalled(s.fontFamily, 'Bold');
    if (s.state) assertFontInstalled('DejaVu Sans', 'Bold');
  }
  return sharp(Buffer.from(plateSvg(text, s)))
    .png()
    .toBuffer();
}

/** Render a plate to packed RGB24 (the shape of an edge frame). */
export async function renderPlate(text: string, style: Partial<PlateStyle> = {}): Promise<RawImage> {
  const { data, info } = await sharp(await renderPlatePng(text, style))
    .flatten({ background: '#ffffff' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data };
}
