// Recognition set-up for tests: a validated default config with overrides, and the pipeline from it.
import { openPlatePipeline } from '../../edge/recognition/open-pipeline.js';
import type { PlatePipeline } from '../../edge/recognition/plate-pipeline.js';
import { resolveCamera } from '../../shared/config/camera.schema.js';
import { type AlprConfig, type AlprConfigInput, configSchema } from '../../shared/config/schema.js';

export function makeConfig(input: AlprConfigInput = {}): AlprConfig {
  return configSchema.parse(input);
}

export async function openTestPipeline(
  input: AlprConfigInput = {},
  mode: 'frames' | 'photos' = 'frames',
): Promise<PlatePipeline> {
  const config = makeConfig(input);
  const cameras = config.cameras.map((c) => resolveCamera(c, config.cameraDefaults));
  return openPlatePipeline({ models: config.models, recognition: config.recognition, mode, cameras });
}
