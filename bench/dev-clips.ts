// Camera clips made from the shared dev photos with the shared make-real-clip tool, for bench:video
// and bench:edge. The photos are licensed material: clips go to bench-results/clips (ignored by git)
// and are never committed. The photos are split once, by a hash of each name, into three clips: two
// for tuning (tune-a, tune-b) and one held out (hold), so a figure on `hold` was not tuned on.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../shared/runtime/paths.js';
import { DATASET_DIR, findSharedDir } from '../test/support/shared-assets.js';

export const CLIP_DIR = path.join(PROJECT_ROOT, 'bench-results', 'clips');
export const DEV_CLIPS = ['tune-a', 'tune-b', 'hold'] as const;
export type DevClip = (typeof DEV_CLIPS)[number];

/** The photo names of each clip: sorted by sha1 of the name, then cut 39 / 39 / rest. */
export function devClipPhotos(names: readonly string[]): Record<DevClip, string[]> {
  const hashed = [...names].sort((a, b) => {
    const ha = createHash('sha1').update(a).digest('hex');
    const hb = createHash('sha1').update(b).digest('hex');
    return ha < hb ? -1 : ha > hb ? 1 : 0;
  });
  return { 'tune-a': hashed.slice(0, 39), 'tune-b': hashed.slice(39, 78), hold: hashed.slice(78) };
}

/** Make (once) and return the clip's file; its labels are `${file}.labels`. */
export function ensureDevClip(clip: DevClip, log: (line: string) => void = () => undefined): string {
  const file = path.join(CLIP_DIR, `${clip}.mp4`);
  if (existsSync(file) && existsSync(`${file}.labels`)) return file;
  if (!DATASET_DIR) throw new Error('no shared datasets/openalpr-us-dev found above the project');
  const tool = findSharedDir(path.join('tools', 'make-real-clip.sh'));
  if (!tool) throw new Error('no shared tools/make-real-clip.sh found above the project');
  mkdirSync(CLIP_DIR, { recursive: true });
  const names = readdirSync(DATASET_DIR)
    .filter((f) => f.endsWith('.jpg'))
    .map((f) => f.slice(0, -4));
  const list = path.join(CLIP_DIR, `${clip}.list`);
  writeFileSync(list, `${devClipPhotos(names)[clip].join('\n')}\n`);
  log(`making ${file} from ${DATASET_DIR} (2 s per photo)`);
  execFileSync('bash', [tool, list, DATASET_DIR, file, '2'], { stdio: 'inherit' });
  return file;
}
