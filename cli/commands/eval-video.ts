// `alpr eval --video CLIP --labels FILE`: a labelled clip through the real edge path in a temporary
// directory, the stored reads scored against the labels; prints the figures, `--json` one object,
// `--report FILE.md` a Markdown report with a precision/recall plot (FILE.pr.png) beside it.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { locateFfmpeg } from '../../edge/ingest/ffmpeg-locator.js';
import { type ResolvedCamera, resolveCamera } from '../../shared/config/camera.schema.js';
import type { LoadedConfig } from '../../shared/config/load-config.js';
import type { AlprConfig } from '../../shared/config/schema.js';
import { resolveFrom } from '../../shared/runtime/paths.js';
import { DatasetError } from '../../tools/evaluation/openalpr-dataset.js';
import { runVideoEval, type VideoEvalRun, type VideoPace } from '../../tools/evaluation/run-video-eval.js';
import { readClipLabels } from '../../tools/evaluation/video-labels.js';
import { prCurveSvg, renderVideoReport } from '../../tools/evaluation/video-report.js';
import { CliError, ExitCode } from '../cli-error.js';
import { type CliEnv, cliLogger, printJson } from '../context.js';

export interface VideoEvalCliOptions {
  video: string;
  labels?: string;
  pace?: string;
  camera?: string;
  json?: boolean;
  report?: string;
}

/** The camera a clip is read as: `--camera ID` from the config, else one with cameraDefaults. */
export function evalCamera(loaded: LoadedConfig, id: string | undefined): ResolvedCamera {
  if (id !== undefined) {
    const camera = loaded.cameras.find((c) => c.id === id);
    if (!camera) {
      const known = loaded.cameras.map((c) => c.id).join(', ') || 'none';
      throw new CliError(
        `--camera ${id}: no such camera in the config (cameras: ${known})`,
        ExitCode.invalidInput,
      );
    }
    return camera;
  }
  return resolveCamera(
    { id: 'eval', url: 'file:///clip', enabled: true, position: { lng: 0, lat: 0 }, bearingDeg: 0 },
    loaded.config.cameraDefaults,
  );
}

function clipSeconds(ffprobe: string, clip: string): number | undefined {
  try {
    const out = execFileSync(
      ffprobe,
      ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', clip],
      {
        encoding: 'utf8',
      },
    );
    const s = Number(out.trim());
    return Number.isFinite(s) ? s : undefined;
  } catch {
    return undefined;
  }
}

export async function evalVideo(
  env: CliEnv,
  loaded: LoadedConfig,
  recognition: AlprConfig['recognition'],
  options: VideoEvalCliOptions,
  settings: Record<string, string | number>,
): Promise<void> {
  const clip = resolveFrom(env.cwd, options.video);
  if (!existsSync(clip)) throw new CliError(`--video ${options.video}: no such file`, ExitCode.invalidInput);
  const labelsFile = resolveFrom(env.cwd, options.labels ?? `${options.video}.labels`);
  let labels: ReturnType<typeof readClipLabels>;
  try {
    labels = readClipLabels(labelsFile);
  } catch (error) {
    if (error instanceof DatasetError) throw new CliError(error.message, ExitCode.invalidInput);
    throw error;
  }
  const pace = (options.pace ?? 'realtime') as VideoPace;
  if (pace !== 'realtime' && pace !== 'all') {
    throw new CliError('--pace must be realtime or all', ExitCode.invalidInput);
  }
  const camera = evalCamera(loaded, options.camera);
  const ffmpeg = locateFfmpeg(loaded.config.ingest.ffmpegPath);
  const config = { ...loaded.config, recognition };
  const allSettings = {
    ...settings,
    pace,
    camera: `${camera.id}: ${camera.frame.width}x${camera.frame.height} at ${camera.sampleFps} fps, min plate ${camera.minPlateWidthPx} px${camera.masks?.length ? `, ${camera.masks.length} masks` : ''}`,
    preset: recognition.plateFormat.preset,
    evidence: `minFrames ${recognition.evidence.minFrames}, minAgreement ${recognition.evidence.minAgreement}, minConfidence ${recognition.evidence.minConfidence}`,
  };
  const duration =
    clipSeconds(path.join(path.dirname(ffmpeg.path), 'ffprobe'), clip) ?? clipSeconds('ffprobe', clip);
  env.stderr(
    `eval: ${labels.length} plates in ${options.video}${duration ? ` (${duration.toFixed(0)} s)` : ''}; ${Object.entries(
      allSettings,
    )
      .map(([k, v]) => `${k}: ${v}`)
      .join('; ')}`,
  );
  let lastReport = 0;
  const run = await runVideoEval({
    clip,
    labels,
    config,
    camera,
    pace,
    ffmpegPath: ffmpeg.path,
    logger: cliLogger(loaded, 'error'),
    onProgress: (s) => {
      if (s - lastReport >= 15) {
        lastReport = s;
        env.stderr(`eval: ${s.toFixed(0)} s of the clip read${duration ? ` of ${duration.toFixed(0)}` : ''}`);
      }
    },
  });
  if (options.report) {
    const reportFile = resolveFrom(env.cwd, options.report);
    const plotFile = reportFile.replace(/\.md$/i, '') + '.pr.png';
    if (run.sweep.length > 0) {
      await sharp(Buffer.from(prCurveSvg(run.sweep, recognition.evidence)))
        .png()
        .toFile(plotFile);
    }
    const report = renderVideoReport(run, labels, {
      clip: options.video,
      labelsFile: path.relative(env.cwd, labelsFile) || labelsFile,
      generatedAt: new Date().toISOString(),
      settings: allSettings,
      plotFile: run.sweep.length > 0 ? path.basename(plotFile) : undefined,
    });
    writeFileSync(reportFile, report);
    env.stderr(
      `eval: report written to ${options.report}${run.sweep.length ? ` (plot ${path.basename(plotFile)})` : ''}`,
    );
  }
  printVideoSummary(env, run, allSettings, options.video);
  if (options.json) {
    const { score, frames, analysisMs, clipS, wallS, discarded, refusedByGate, sweep } = run;
    const reads = run.reads.map((r) => ({
      plate: r.plate,
      match: r.match,
      confidence: Math.round(r.confidence * 1000) / 1000,
      firstS: Math.round(r.firstS * 100) / 100,
      lastS: Math.round(r.lastS * 100) / 100,
    }));
    printJson(env, {
      clip: options.video,
      ...score,
      frames,
      analysisMs,
      clipS,
      wallS,
      discarded,
      refusedByGate,
      reads,
      sweep,
      settings: allSettings,
    });
  }
}

function printVideoSummary(
  env: CliEnv,
  run: VideoEvalRun,
  settings: Record<string, string | number>,
  clip: string,
) {
  const s = run.score;
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  env.stdout(`clip      ${clip} (${s.plates} plates, ${run.clipS} s read in ${run.wallS} s)`);
  env.stdout(
    `stored    ${s.storedReads} reads: exact ${s.exact}/${s.plates} (${pct(s.exactShare)})   folded (O=0, I=1) ${s.folded}/${s.plates} (${pct(s.foldedShare)})`,
  );
  env.stdout(
    `precision ${pct(s.precision)}   matching no plate ${s.unmatched} (${pct(s.unmatchedShare)})   duplicates ${s.duplicates}`,
  );
  env.stdout(`latency   first sighting to stored: median ${s.latencyS.median} s, p95 ${s.latencyS.p95} s`);
  env.stdout(
    `frames    expected ${run.frames.expected}   analysed ${run.frames.analysed}   lost ${run.frames.lost} (${pct(run.frames.lostShare)})   analysis median ${run.analysisMs.median} ms, p95 ${run.analysisMs.p95} ms`,
  );
  const dropped = Object.entries(run.discarded).filter(([, n]) => n > 0);
  env.stdout(`dropped   ${dropped.map(([k, n]) => `${k} ${n}`).join('   ') || 'nothing'}`);
  for (const r of run.reads.filter((x) => x.match === 'none')) {
    env.stdout(
      `no plate  ${r.plate} (confidence ${r.confidence.toFixed(3)}, ${r.firstS.toFixed(1)}-${r.lastS.toFixed(1)} s)`,
    );
  }
  for (const [k, v] of Object.entries(settings)) env.stdout(`${k.padEnd(9)} ${v}`);
}
