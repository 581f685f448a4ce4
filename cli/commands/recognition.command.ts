// `alpr recognize IMAGE...` and `alpr eval --dataset DIR`: read plates in photos with the same
// pipeline the edge runs on camera frames (JPEG decoded by sharp to RGB, then the frame pipeline).
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import type { Command } from 'commander';
import { detectorInputSize } from '../../edge/recognition/detector-preprocess.js';
import { ort } from '../../edge/recognition/onnx-session.js';
import { openPlatePipeline, type RecognitionConfig } from '../../edge/recognition/open-pipeline.js';
import { decodeImageFile } from '../../edge/recognition/raw-image.js';
import { ModelFileError } from '../../models/manifest.js';
import { resolveFrom } from '../../shared/runtime/paths.js';
import { renderEvalReport } from '../../tools/evaluation/eval-report.js';
import { DatasetError, readOpenAlprDataset } from '../../tools/evaluation/openalpr-dataset.js';
import { type EvalRun, runEvaluation } from '../../tools/evaluation/run-eval.js';
import { CliError, ExitCode } from '../cli-error.js';
import { type CliEnv, type ConfigOption, loadCliConfig, printJson } from '../context.js';
import { createProgress } from '../progress.js';
import { evalVideo, type VideoEvalCliOptions } from './eval-video.js';

type VideoOptions = Partial<Pick<VideoEvalCliOptions, 'video' | 'labels' | 'pace' | 'camera'>>;

interface TuningOptions extends ConfigOption {
  threads?: string;
  detectorMaxSide?: string;
  detectorSqueeze?: string;
  fallback?: string;
}

const integer = (name: string, v: string | undefined) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new CliError(`${name} must be a positive integer`, ExitCode.invalidInput);
  return n;
};

/** The config's recognition section with command-line overrides (for measuring settings). */
function tunedRecognition(env: CliEnv, options: TuningOptions) {
  const loaded = loadCliConfig(env, options);
  const recognition: RecognitionConfig = { ...loaded.config.recognition };
  recognition.threads = integer('--threads', options.threads) ?? recognition.threads;
  recognition.detectorMaxSide =
    integer('--detector-max-side', options.detectorMaxSide) ?? recognition.detectorMaxSide;
  if (options.detectorSqueeze !== undefined) {
    const squeeze = Number(options.detectorSqueeze);
    if (!(squeeze >= 0.25 && squeeze <= 1)) {
      throw new CliError('--detector-squeeze must be between 0.25 and 1', ExitCode.invalidInput);
    }
    recognition.detectorSqueeze = squeeze;
  }
  if (options.fallback !== undefined) {
    if (!['photos', 'always', 'never'].includes(options.fallback)) {
      throw new CliError('--fallback must be photos, always or never', ExitCode.invalidInput);
    }
    recognition.fallbackDetection = options.fallback as RecognitionConfig['fallbackDetection'];
  }
  return { loaded, recognition };
}

async function openForPhotos(env: CliEnv, options: TuningOptions) {
  const { loaded, recognition } = tunedRecognition(env, options);
  try {
    const pipeline = await openPlatePipeline({ models: loaded.config.models, recognition, mode: 'photos' });
    return { pipeline, recognition };
  } catch (error) {
    if (error instanceof ModelFileError) throw new CliError(error.message, ExitCode.failure);
    throw error;
  }
}

function addTuningOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'config file (default: $ALPR_CONFIG, else built-in defaults)')
    .option('--threads <n>', 'onnxruntime intra-op threads (overrides recognition.threads)')
    .option('--detector-max-side <px>', 'detector input longer side (overrides recognition.detectorMaxSide)')
    .option(
      '--detector-squeeze <k>',
      'detector height scale relative to width (overrides recognition.detectorSqueeze)',
    )
    .option('--fallback <mode>', 'photos | always | never (overrides recognition.fallbackDetection)');
}

/** The settings a figure depends on, printed beside it. */
function settingsOf(recognition: RecognitionConfig): Record<string, string | number> {
  const size = detectorInputSize(1280, 720, {
    maxSide: recognition.detectorMaxSide,
    squeeze: recognition.detectorSqueeze,
  });
  return {
    threads: recognition.threads,
    detector: `max side ${recognition.detectorMaxSide}, squeeze ${recognition.detectorSqueeze} (${size.width}x${size.height} for 1280x720)`,
    fallback:
      recognition.fallbackDetection === 'never'
        ? 'never'
        : `${recognition.fallbackDetection} at ${recognition.fallbackMaxSide}`,
    maxCandidates: recognition.maxCandidates,
    minConfidence: recognition.minConfidence,
    cpus: `${os.cpus().length} x ${os.cpus()[0]?.model.trim() ?? 'unknown'}`,
    loadavg: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
    runtime: `node ${process.versions.node}, onnxruntime ${ort.env.versions.node ?? ort.env.versions.common}`,
  };
}

const fmtBox = (b: { x: number; y: number; width: number; height: number }) =>
  `${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.width)}x${Math.round(b.height)}`;

export function registerRecognitionCommands(program: Command, env: CliEnv): void {
  addTuningOptions(
    program
      .command('recognize')
      .argument('<image...>', 'JPEG or PNG photos')
      .option('--json', 'print one JSON object (last line of stdout)')
      .description('Read the plates in photos: plate, confidence, box and timing per image'),
  ).action(async (images: string[], options: TuningOptions & { json?: boolean }) => {
    const { pipeline } = await openForPhotos(env, options);
    const results: Record<string, unknown>[] = [];
    let failed = 0;
    try {
      for (const image of images) {
        const file = resolveFrom(env.cwd, image);
        const started = performance.now();
        try {
          const decoded = await decodeImageFile(file);
          const decodeMs = performance.now() - started;
          const r = await pipeline.recognizeImage(decoded);
          const totalMs = performance.now() - started;
          const timing = {
            totalMs: round1(totalMs),
            decodeMs: round1(decodeMs),
            detectMs: round1(r.timings.detectMs),
            readMs: round1(r.timings.recognizeMs),
          };
          const plates = r.observations.map((o) => ({
            plate: o.text,
            confidence: round3(o.confidence),
            minCharConfidence: round3(Math.min(...o.charConfidences)),
            charConfidences: o.charConfidences.map(round3),
            box: roundBox(o.box),
          }));
          results.push({ image, plates, timing, fallback: r.timings.fellBack });
          if (!options.json) printRecognition(env, image, plates, timing);
        } catch (error) {
          failed++;
          results.push({ image, error: (error as Error).message });
          env.stderr(`alpr: ${image}: ${(error as Error).message}`);
        }
      }
    } finally {
      await pipeline.close();
    }
    if (options.json) printJson(env, { modelId: pipeline.modelId, images: results });
    if (failed > 0)
      throw new CliError(`${failed} of ${images.length} images could not be read`, ExitCode.failure);
  });

  addTuningOptions(
    program
      .command('eval')
      .option('--dataset <dir>', 'folder of NAME.jpg + NAME.txt (openalpr benchmark format)')
      .option(
        '--video <clip>',
        'a camera clip to run through the edge path (H.264 MP4 or any file ffmpeg reads)',
      )
      .option(
        '--labels <file>',
        'labels of the clip: "name plate start_s end_s" per line (default: CLIP.labels)',
      )
      .option(
        '--pace <pace>',
        'video: realtime (like a live camera, the default) or all (every sampled frame)',
      )
      .option('--camera <id>', "video: read the clip with this configured camera's settings")
      .option('--json', 'print the summary as one JSON object (last line of stdout)')
      .option(
        '--report <file>',
        'write a Markdown report listing every miss (video: with a precision/recall plot)',
      )
      .option('--limit <n>', 'evaluate only the first N images (by name)')
      .description(
        'Measure accuracy and latency on labelled photos (--dataset) or a labelled clip (--video)',
      ),
  ).action(
    async (
      options: TuningOptions &
        VideoOptions & { dataset?: string; json?: boolean; report?: string; limit?: string },
    ) => {
      if ((options.dataset === undefined) === (options.video === undefined)) {
        throw new CliError('give either --dataset DIR or --video CLIP', ExitCode.invalidInput);
      }
      if (options.video !== undefined) {
        const { loaded, recognition } = tunedRecognition(env, options);
        await evalVideo(
          env,
          loaded,
          recognition,
          { ...options, video: options.video },
          settingsOf(recognition),
        );
        return;
      }
      const dataset = options.dataset!;
      const dir = resolveFrom(env.cwd, dataset);
      let items: ReturnType<typeof readOpenAlprDataset>;
      try {
        items = readOpenAlprDataset(dir);
      } catch (error) {
        if (error instanceof DatasetError) throw new CliError(error.message, ExitCode.invalidInput);
        throw error;
      }
      const limit = integer('--limit', options.limit);
      if (limit !== undefined) items = items.slice(0, limit);
      const { pipeline, recognition } = await openForPhotos(env, options);
      const settings = settingsOf(recognition);
      env.stderr(
        `eval: ${items.length} images from ${dataset}; ${Object.entries(settings)
          .map(([k, v]) => `${k}: ${v}`)
          .join('; ')}`,
      );
      const progress = createProgress(env, 'eval', items.length);
      let run: EvalRun;
      try {
        run = await runEvaluation(pipeline, items, (done) => progress.update(done));
      } finally {
        progress.finish();
        await pipeline.close();
      }
      if (options.report) {
        const report = renderEvalReport(run.summary, run.outcomes, {
          dataset,
          generatedAt: new Date().toISOString(),
          settings,
        });
        writeFileSync(resolveFrom(env.cwd, options.report), report);
        env.stderr(`eval: report written to ${options.report}`);
      }
      printSummary(env, run, settings, dataset);
      if (options.json) {
        const { cpuMsPerImage, fallbacks } = run;
        printJson(env, { ...run.summary, cpuMsPerImage, fallbacks, dataset, settings });
      }
    },
  );
}

const round1 = (v: number) => Math.round(v * 10) / 10;
const round3 = (v: number) => Math.round(v * 1000) / 1000;
const roundBox = (b: { x: number; y: number; width: number; height: number }) => ({
  x: Math.round(b.x),
  y: Math.round(b.y),
  width: Math.round(b.width),
  height: Math.round(b.height),
});

function printRecognition(
  env: CliEnv,
  image: string,
  plates: Array<{
    plate: string;
    confidence: number;
    minCharConfidence: number;
    box: { x: number; y: number; width: number; height: number };
  }>,
  timing: { totalMs: number; decodeMs: number; detectMs: number; readMs: number },
): void {
  const time = `${timing.totalMs} ms (decode ${timing.decodeMs}, detect ${timing.detectMs}, read ${timing.readMs})`;
  if (plates.length === 0) env.stdout(`${image}  no plate  ${time}`);
  for (const p of plates) {
    env.stdout(
      `${image}  ${p.plate}  confidence ${p.confidence.toFixed(3)} (min char ${p.minCharConfidence.toFixed(3)})  box ${fmtBox(p.box)}  ${time}`,
    );
  }
}

function printSummary(
  env: CliEnv,
  run: EvalRun,
  settings: Record<string, string | number>,
  dataset: string,
): void {
  const s = run.summary;
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  env.stdout(`dataset   ${dataset} (${s.n} images)`);
  env.stdout(
    `exact     ${pct(s.exact)}   folded (O=0, I=1) ${pct(s.folded)}   found ${pct(s.found)}   localiser recall ${pct(s.candidateRecall)}   any read ${pct(s.answered)}`,
  );
  env.stdout(
    `latency   mean ${s.latencyMs.mean} ms   median ${s.latencyMs.median} ms   p95 ${s.latencyMs.p95} ms   max ${s.latencyMs.max} ms   (per image, JPEG decode included)`,
  );
  env.stdout(
    `stages    mean decode ${s.stagesMs.decode} ms   detect ${s.stagesMs.detect} ms   read ${s.stagesMs.read} ms   (${s.cropsPerImage} plate crops read per image)`,
  );
  env.stdout(`cpu       ${run.cpuMsPerImage} ms of CPU time per image (all threads)`);
  env.stdout(`fallback  ${run.fallbacks} of ${s.n} images ran the fallback detection`);
  for (const [k, v] of Object.entries(settings)) env.stdout(`${k.padEnd(9)} ${v}`);
}
