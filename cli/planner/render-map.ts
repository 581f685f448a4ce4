// Writes the planner's site map: the SVG as generated, or rendered to PNG by sharp.
import { writeFileSync } from 'node:fs';
import sharp from 'sharp';

/** Write `svg` to `file`: as is for `.svg`, else as a PNG (the format `--map out.png` asks for). */
export async function writeSiteMap(
  svg: string,
  file: string,
): Promise<{ format: 'svg' | 'png'; bytes: number }> {
  if (file.toLowerCase().endsWith('.svg')) {
    writeFileSync(file, svg);
    return { format: 'svg', bytes: Buffer.byteLength(svg) };
  }
  const png = await sharp(Buffer.from(svg)).png().toBuffer();
  writeFileSync(file, png);
  return { format: 'png', bytes: png.length };
}
