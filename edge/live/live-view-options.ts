// Pure settings for the live view's ffmpeg (run by node-rtsp-stream): the input it reads and the MPEG-1
// output flags. node-rtsp-stream places every flag after the input, so only output options fit here.
import { fileURLToPath } from 'node:url';
import type { ResolvedCamera } from '../../shared/config/camera.schema.js';
import { sourceKind } from '../ingest/ffmpeg-args.js';

export interface LiveViewEncoding {
  /** What node-rtsp-stream passes to `ffmpeg -i`. */
  input: string;
  width: number;
  height: number;
  ffmpegOptions: Record<string, string>;
}

/** MPEG-1 only allows a few frame rates; 25 is one of them and plenty for aiming a camera. */
export const LIVE_VIEW_FPS = 25;

/**
 * Input and MPEG-1 output flags for one camera's live view, at most `maxWidth` wide (even sizes).
 * @example liveViewEncoding(camera, 960).ffmpegOptions['-r'] // '25'
 */
export function liveViewEncoding(
  camera: Pick<ResolvedCamera, 'url' | 'frame'>,
  maxWidth = 960,
): LiveViewEncoding {
  const scale = Math.min(1, maxWidth / camera.frame.width);
  const even = (n: number) => Math.max(2, 2 * Math.round((n * scale) / 2));
  const width = even(camera.frame.width);
  const height = even(camera.frame.height);
  const isFile = sourceKind(camera.url) === 'file';
  // A file would be encoded as fast as the CPU allows; the realtime filter paces it like a camera.
  const filters = [...(isFile ? ['realtime'] : []), `scale=${width}:${height}`].join(',');
  return {
    input: isFile ? fileURLToPath(camera.url) : camera.url,
    width,
    height,
    ffmpegOptions: {
      '-loglevel': 'error',
      '-nostats': '',
      '-an': '',
      '-vf': filters,
      '-r': String(LIVE_VIEW_FPS),
      '-b:v': '1000k',
      '-bf': '0',
    },
  };
}
