// Writes plate-crop JPEGs (only when `recognition.storeCrops` is on: data minimisation keeps it off
// by default). Files are named by camera, capture time and a random id, never by plate text, so a
// directory listing reveals nothing; they are readable by the owner only.
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Write a crop under `cropsDir/<camera>/<YYYY-MM-DD>/` and return its absolute path.
 * @example const cropPath = await savePlateCrop(config.store.cropsDir, 'cam-1', pass.capturedAt, pass.cropJpeg)
 */
export async function savePlateCrop(
  cropsDir: string,
  cameraId: string,
  capturedAt: number,
  jpeg: Buffer,
): Promise<string> {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(cameraId) || cameraId.includes('..')) {
    throw new RangeError(`camera id ${JSON.stringify(cameraId)} cannot name a directory`);
  }
  const day = new Date(capturedAt).toISOString().slice(0, 10);
  const dir = path.join(cropsDir, cameraId, day);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `${capturedAt}-${randomUUID()}.jpg`);
  await writeFile(file, jpeg, { mode: 0o600, flag: 'wx' });
  return file;
}
