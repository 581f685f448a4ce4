// `alpr live CAMERA_ID`: a technician's live view of one camera while aiming it. Off unless live.enabled
// is true or --enable acknowledges it (it shows identifiable video); listens on live.host (localhost).
import type { Command } from 'commander';
import { FfmpegNotFoundError, locateFfmpeg } from '../../edge/ingest/ffmpeg-locator.js';
import { startLiveView } from '../../edge/live/live-view.js';
import { redactUrl } from '../../shared/logging/logger.js';
import { handleSignals, Shutdown, ShutdownLayer } from '../../shared/runtime/shutdown.js';
import { CliError, ExitCode } from '../cli-error.js';
import { type CliEnv, type ConfigOption, cliLogger, loadCliConfig } from '../context.js';

interface LiveOptions extends ConfigOption {
  enable?: boolean;
  httpPort?: string;
  wsPort?: string;
}

export function registerLiveCommands(program: Command, env: CliEnv): void {
  program
    .command('live')
    .argument('<camera>', 'camera id from the config')
    .option('-c, --config <file>', 'config file (default: $ALPR_CONFIG or built-in defaults)')
    .option('--enable', 'run even though live.enabled is false (you acknowledge it shows identifiable video)')
    .option('--http-port <port>', 'override live.httpPort (the page)')
    .option('--ws-port <port>', 'override live.wsPort (the MPEG-1 WebSocket)')
    .description('Serve one camera as a live MPEG-1 stream and a local page that plays it, to aim the camera')
    .action(async (cameraId: string, options: LiveOptions) => {
      const loaded = loadCliConfig(env, options);
      const { live, ingest } = loaded.config;
      if (!live.enabled && !options.enable) {
        throw new CliError(
          'the live view is off: set live.enabled: true in the config, or pass --enable to acknowledge that it shows identifiable video',
          ExitCode.invalidInput,
        );
      }
      const camera = loaded.cameras.find((c) => c.id === cameraId);
      if (!camera) {
        const known = loaded.cameras.map((c) => c.id).join(', ') || '(none)';
        throw new CliError(`unknown camera "${cameraId}"; configured: ${known}`, ExitCode.invalidInput);
      }
      const logger = cliLogger(loaded);
      let ffmpegPath: string;
      try {
        ffmpegPath = locateFfmpeg(ingest.ffmpegPath).path;
      } catch (error) {
        if (error instanceof FfmpegNotFoundError) throw new CliError(error.message);
        throw error;
      }
      const view = await startLiveView({
        camera,
        ffmpegPath,
        host: live.host,
        httpPort: options.httpPort === undefined ? live.httpPort : parsePort('--http-port', options.httpPort),
        wsPort: options.wsPort === undefined ? live.wsPort : parsePort('--ws-port', options.wsPort),
        stopGraceMs: ingest.stopGraceMs,
        logger,
      }).catch((error: Error) => {
        throw new CliError(error.message);
      });
      env.stdout(`live view of ${camera.id} (${redactUrl(camera.url)})`);
      env.stdout(`open ${view.pageUrl}   (stream ${view.wsUrl}; Ctrl-C to stop)`);
      const shutdown = new Shutdown(logger);
      shutdown.add('live view', ShutdownLayer.ingest, () => view.close());
      await new Promise<void>((resolve) => {
        handleSignals(shutdown, logger, ((code?: number) => {
          if (code && code !== 0) process.exit(code);
          resolve();
        }) as typeof process.exit);
      });
    });
}

function parsePort(flag: string, value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliError(`${flag} must be an integer 0-65535, got "${value}"`, ExitCode.invalidInput);
  }
  return port;
}
