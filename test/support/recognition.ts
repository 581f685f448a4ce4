// Recognition set-up for tests: a validated default config with overrides, and the pipeline from it.
import type { CameraRecognizer } from '../../edge/recognition/camera-recognizer.js';
import { openFrameRecognizer, openPlatePipeline } from '../../edge/recognition/open-pipeline.js';
import type { PlatePipeline } from '../../edge/recognition/plate-pipeline.js';
import { resolveCamera } from '../../shared/config/camera.schema.js';
import { type AlprConfig, type AlprConfigInput, configSchema } from '../../shared/config/schema.js';

export function makeConfig(input: AlprConfigInput = {}): AlprConfig {
  return configSchema.parse(input);
}

/** The plate pipeline as `alpr recognize` reads photos. */
export async function openTestPipeline(input: AlprConfigInput = {}): Promise<PlatePipeline> {
  const config = makeConfig(input);
  return openPlatePipeline({ models: config.models, recognition: config.recognition, mode: 'photos' });
}

/** The per-camera recognizer the edge runs on camera frames. */
export async function openTestRecognizer(input: AlprConfigInput = {}): Promise<CameraRecognizer> {
  const config = makeConfig(input);
  const cameras = config.cameras.map((c) => resolveCamera(c, config.cameraDefaults));
  return openFrameRecognizer({
    models: config.models,
    recognition: config.recognition,
    mode: 'frames',
    cameras,
  });
}
