// A synthetic traffic clip: cars with rendered plates driving through a fixed camera's view, encoded as
// H.264 MP4 with ffmpeg. The demo serves it as a camera; every plate and where it is, is known.
import { spawn } from 'node:child_process';
import { renderScene, type ScenePlate } from '../synthetic/render-scene.js';

export interface TrafficVehicle {
  plate: string;
  /** Seconds into the clip when the plate enters the frame. */
  enterAtS: number;
  /** Seconds the plate takes to cross the frame. */
  crossingS: number;
  /** Plate top edge, as a fraction of the frame height. */
  laneY: number;
  /** Plate width as a fraction of the frame width. */
  plateWidth: number;
  /** 'ltr' drives left to right. */
  direction: 'ltr' | 'rtl';
}

export interface TrafficClipOptions {
  file: string;
  ffmpegPath: string;
  width: number;
  height: number;
  fps: number;
  seconds: number;
  vehicles: TrafficVehicle[];
  /** Burn a camera's on-screen display in: the timestamp starts at `startAt` and runs with the clip. */
  overlay?: { cameraName: string; startAt: number };
  onProgress?: (frame: number, frames: number) => void;
}

export interface TrafficClip {
  file: string;
  frames: number;
  /** Each plate with the clip seconds in which it is fully in view. */
  plates: Array<{ plate: string; visibleFromS: number; visibleToS: number }>;
}

/**
 * Where each vehicle's plate is at time `t` (only plates fully inside the frame).
 * @example platesAt(vehicles, 2.5, 960, 540) // [{ text: '7DMV482', at: { x: 410, y: 330, width: 130 } }]
 */
export function platesAt(vehicles: TrafficVehicle[], t: number, width: number, height: number): ScenePlate[] {
  const plates: ScenePlate[] = [];
  for (const v of vehicles) {
    const progress = (t - v.enterAtS) / v.crossingS;
    if (progress < 0 || progress > 1) continue;
    const plateW = Math.round(v.plateWidth * width);
    const travel = width - plateW - 2;
    const x = Math.round(1 + (v.direction === 'ltr' ? progress : 1 - progress) * travel);
    const y = Math.round(v.laneY * height);
    if (y + plateW / 2 >= height) throw new RangeError(`lane ${v.laneY} puts ${v.plate} below the frame`);
    plates.push({ text: v.plate, at: { x, y, width: plateW } });
  }
  return plates;
}

/** Render every frame and pipe it to ffmpeg (raw RGB in, H.264 MP4 out, a keyframe every second). */
export async function renderTrafficClip(options: TrafficClipOptions): Promise<TrafficClip> {
  const { width, height, fps, seconds } = options;
  const frames = Math.round(seconds * fps);
  const ffmpeg = spawn(
    options.ffmpegPath,
    [
      ...['-hide_banner', '-loglevel', 'error', '-y'],
      ...['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-r', String(fps), '-i', '-'],
      ...['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-g', String(fps), '-pix_fmt', 'yuv420p'],
      ...['-movflags', '+faststart', options.file],
    ],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  let stderr = '';
  ffmpeg.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    ffmpeg.once('error', reject);
    ffmpeg.once('exit', (code) => resolve(code));
  });
  try {
    for (let i = 0; i < frames; i++) {
      const scene = await renderScene({
        width,
        height,
        plates: platesAt(options.vehicles, i / fps, width, height),
        overlay: options.overlay && {
          cameraName: options.overlay.cameraName,
          at: options.overlay.startAt + Math.floor(i / fps) * 1000,
        },
      });
      if (!ffmpeg.stdin.write(scene.image.data)) {
        await new Promise<void>((resolve) => ffmpeg.stdin.once('drain', () => resolve()));
      }
      options.onProgress?.(i + 1, frames);
    }
  } finally {
    ffmpeg.stdin.end();
  }
  const code = await exited;
  if (code !== 0) throw new Error(`ffmpeg could not encode the clip (exit ${code}): ${stderr.trim()}`);
  return {
    file: options.file,
    frames,
    plates: options.vehicles.map((v) => ({
      plate: v.plate,
      visibleFromS: v.enterAtS,
      visibleToS: Math.min(seconds, v.enterAtS + v.crossingS),
    })),
  };
}
