// Crop hypotheses (pure): where the plate may be around a detected text box. On a small plate the
// text blob covers most of the plate (aspect ~1.6); on a large one it is just the number line
// (aspect ~3). The recognizer was trained on whole plates at 2:1, so each box yields crops of both
// readings at a few scales; the pipeline averages the recognizer's outputs over them.
import { boxCentre, centredBox, clampBox, type PixelBox } from '../../shared/plates/box-geometry.js';

/** How to read a text box: as a plate's number line or as the whole plate, scaled by `scale`. */
export interface CropKind {
  reading: 'line' | 'blob';
  scale: number;
}

/** Views every candidate box is read with first (cheap screening). */
export const SCREEN_VIEWS: readonly CropKind[] = [
  { reading: 'line', scale: 1 },
  { reading: 'blob', scale: 1 },
];

/** Extra views for boxes whose screening read looks like a plate (plate extent is uncertain). */
export const DETAIL_VIEWS: readonly CropKind[] = [
  { reading: 'line', scale: 0.9 },
  { reading: 'line', scale: 1.15 },
  { reading: 'blob', scale: 1.2 },
];

/** Plate aspect (width / height) the recognizer expects. */
const PLATE_ASPECT = 2;
/** A number line spans about three quarters of a plate's width. */
const LINE_TO_PLATE_WIDTH = 1.3;

/**
 * One crop rectangle for a text box under a hypothesis, before clipping to the frame.
 * @example cropFor({ x: 100, y: 100, width: 100, height: 30 }, 'line') // 130 x 65 around the same centre
 */
export function cropFor(box: PixelBox, kind: CropKind): PixelBox {
  const centre = boxCentre(box);
  if (kind.reading === 'line') {
    const width = box.width * LINE_TO_PLATE_WIDTH * kind.scale;
    return centredBox(centre, width, width / PLATE_ASPECT);
  }
  // 'blob': the box itself, padded out to the plate aspect.
  const [w, h] =
    box.width / box.height < PLATE_ASPECT
      ? [box.height * PLATE_ASPECT, box.height]
      : [box.width, box.width / PLATE_ASPECT];
  return centredBox(centre, w * kind.scale, h * kind.scale);
}

/** The distinct, frame-clipped crops for a text box (crops that clip to the same pixels count once). */
export function cropHypotheses(
  box: PixelBox,
  frameWidth: number,
  frameHeight: number,
  kinds: readonly CropKind[] = SCREEN_VIEWS,
): PixelBox[] {
  const crops: PixelBox[] = [];
  for (const kind of kinds) {
    const crop = clampBox(cropFor(box, kind), frameWidth, frameHeight);
    if (!crop || crop.width < 4 || crop.height < 4) continue;
    const duplicate = crops.some(
      (c) => c.x === crop.x && c.y === crop.y && c.width === crop.width && c.height === crop.height,
    );
    if (!duplicate) crops.push(crop);
  }
  return crops;
}
