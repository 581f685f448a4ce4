// A camera's on-screen display for synthetic scenes (pure): a timestamp top left and a camera name
// bottom right, white lettering with a dark outline like an NVR's, drawn with the project's glyphs.
// Lets tests check that overlay text is never stored as a plate.
import { glyphLineSvg } from './plate-glyphs.js';

export interface CameraOverlay {
  /** Shown as YYYY-MM-DD HH:MM:SS (UTC). */
  at: number;
  /** Upper-case letters, digits, spaces and dashes. */
  cameraName: string;
  /** Lettering height as a share of the frame height (default 0.04). */
  size?: number;
}

/** YYYY-MM-DD HH:MM:SS in UTC. */
export const overlayTimestamp = (at: number) => new Date(at).toISOString().slice(0, 19).replace('T', ' ');

/**
 * SVG elements (no <svg> wrapper) of the overlay for a `width` x `height` frame.
 * @example overlaySvg({ at: Date.UTC(2026, 0, 1), cameraName: 'CAM07 MAIN ST' }, 1280, 720)
 */
export function overlaySvg(overlay: CameraOverlay, width: number, height: number): string {
  const h = height * (overlay.size ?? 0.04);
  const line = (text: string, left: boolean) => {
    const w = text.length * h * 0.76;
    const centreX = left ? h * 0.6 + w / 2 : width - h * 0.6 - w / 2;
    const centreY = left ? h * 1.1 : height - h * 1.1;
    const glyphs = (colour: string, stroke: number) =>
      glyphLineSvg({ text, centreX, centreY, height: h, maxWidth: w, strokePx: stroke, colour });
    return glyphs('#111111', Math.max(3, h * 0.22)) + glyphs('#f4f4f4', Math.max(1.5, h * 0.11));
  };
  return line(overlayTimestamp(overlay.at), true) + line(overlay.cameraName.toUpperCase(), false);
}
