// Reads an evaluation folder in the openalpr benchmark "endtoend" format: NAME.jpg beside NAME.txt,
// the text file one line `NAME.jpg<TAB>x<TAB>y<TAB>w<TAB>h<TAB>PLATE`.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { PixelBox } from '../../shared/plates/box-geometry.js';
import { normalisePlateText } from '../../shared/plates/plate-format.js';

export interface LabelledImage {
  name: string;
  imageFile: string;
  plate: string;
  box: PixelBox;
}

export class DatasetError extends Error {
  override name = 'DatasetError';
}

const IMAGE_EXT = /\.(jpe?g|png)$/i;

/**
 * Parse one label line; throws DatasetError naming the file on a malformed line.
 * @example parseLabelLine('car.jpg\t10\t20\t100\t50\tABC123', 'car.txt').plate // 'ABC123'
 */
export function parseLabelLine(
  line: string,
  labelFile: string,
): { image: string; box: PixelBox; plate: string } {
  const fields = line.trim().split(/\t+/);
  const [image, x, y, w, h, plate] = fields;
  const numbers = [x, y, w, h].map(Number);
  if (fields.length < 6 || !image || !plate || numbers.some((n) => !Number.isFinite(n))) {
    throw new DatasetError(
      `${labelFile}: expected "NAME<TAB>x<TAB>y<TAB>w<TAB>h<TAB>PLATE", got "${line.trim()}"`,
    );
  }
  const [bx, by, bw, bh] = numbers as [number, number, number, number];
  return { image, box: { x: bx, y: by, width: bw, height: bh }, plate: normalisePlateText(plate) };
}

/** Every labelled image of a dataset folder, sorted by name. Images without a label are skipped. */
export function readOpenAlprDataset(dir: string): LabelledImage[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new DatasetError(`dataset directory ${dir} does not exist`);
  }
  const items: LabelledImage[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!IMAGE_EXT.test(file)) continue;
    const labelFile = path.join(dir, file.replace(IMAGE_EXT, '.txt'));
    if (!existsSync(labelFile)) continue;
    const line = readFileSync(labelFile, 'utf8')
      .split('\n')
      .find((l) => l.trim() !== '');
    if (!line) throw new DatasetError(`${labelFile}: empty label file`);
    const label = parseLabelLine(line, labelFile);
    items.push({ name: file, imageFile: path.join(dir, file), plate: label.plate, box: label.box });
  }
  if (items.length === 0) throw new DatasetError(`no labelled images (NAME.jpg + NAME.txt) in ${dir}`);
  return items;
}
