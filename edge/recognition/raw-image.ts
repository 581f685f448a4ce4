// Decoded images as packed RGB24 and the sharp operations recognition needs on them:
// decode a file, cut a region and resize it, encode a plate crop as JPEG.
import sharp from 'sharp';
import type { PixelBox } from '../../shared/plates/box-geometry.js';

/** Packed RGB24, `width * height * 3` bytes (the shape of an edge `Frame`). */
export interface RawImage {
  width: number;
  height: number;
  data: Buffer;
}

const rawInput = (image: RawImage) =>
  sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });

/** Decode an image file (JPEG, PNG, ...) to RGB24, honouring EXIF orientation. */
export async function decodeImageFile(file: string | Buffer): Promise<RawImage> {
  const { data, info } = await sharp(file)
    .rotate()
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`decoded image has ${info.channels} channels, expected 3`);
  return { width: info.width, height: info.height, data };
}

/**
 * Cut `region` (whole pixels, inside the image) out of `image` and resize it to exactly
 * `width` x `height` (aspect not kept): returns packed RGB24.
 */
export async function resizeRegion(
  image: RawImage,
  region: PixelBox,
  width: number,
  height: number,
): Promise<Buffer> {
  const whole =
    region.x === 0 && region.y === 0 && region.width === image.width && region.height === image.height;
  let pipeline = rawInput(image);
  if (!whole)
    pipeline = pipeline.extract({
      left: region.x,
      top: region.y,
      width: region.width,
      height: region.height,
    });
  if (region.width !== width || region.height !== height) {
    pipeline = pipeline.resize(width, height, { fit: 'fill', kernel: 'linear' });
  }
  return pipeline.raw().toBuffer();
}

/** JPEG of a region (whole pixels, inside the image), e.g. the plate crop stored with a read. */
export async function regionJpeg(image: RawImage, region: PixelBox, quality = 85): Promise<Buffer> {
  return rawInput(image)
    .extract({ left: region.x, top: region.y, width: region.width, height: region.height })
    .jpeg({ quality, mozjpeg: false })
    .toBuffer();
}
