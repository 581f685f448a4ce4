// Labels of a clip, one plate per line: `name plate start_s end_s` (the format make-real-clip writes;
// extra plates in view at the same time are more lines). Blank lines and `#` comments are skipped.
import { existsSync, readFileSync } from 'node:fs';
import { normalisePlateText } from '../../shared/plates/plate-format.js';
import { DatasetError } from './openalpr-dataset.js';

export interface ClipLabel {
  name: string;
  plate: string;
  /** Seconds into the clip when the plate is in view. */
  startS: number;
  endS: number;
}

/**
 * Parse a labels file's text; throws DatasetError naming the file and line of a malformed entry.
 * @example parseClipLabels('car20 YG8E4F 4 6\n', 'clip.labels')[0] // { name: 'car20', plate: 'YG8E4F', startS: 4, endS: 6 }
 */
export function parseClipLabels(text: string, file: string): ClipLabel[] {
  const labels: ClipLabel[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const [name, plate, start, end, ...rest] = line.split(/\s+/);
    const startS = Number(start);
    const endS = Number(end);
    const normalised = normalisePlateText(plate ?? '');
    if (!name || !normalised || rest.length > 0 || !Number.isFinite(startS) || !Number.isFinite(endS)) {
      throw new DatasetError(`${file}:${i + 1}: expected "name plate start_s end_s", got "${line}"`);
    }
    if (startS < 0 || endS <= startS) {
      throw new DatasetError(`${file}:${i + 1}: end_s must be after start_s (>= 0), got "${line}"`);
    }
    labels.push({ name, plate: normalised, startS, endS });
  });
  if (labels.length === 0) throw new DatasetError(`${file}: no labels`);
  return labels;
}

/** Read and parse a labels file; a missing file is a DatasetError naming it. */
export function readClipLabels(file: string): ClipLabel[] {
  if (!existsSync(file)) throw new DatasetError(`labels file ${file} does not exist`);
  return parseClipLabels(readFileSync(file, 'utf8'), file);
}
