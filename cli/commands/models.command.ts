// `alpr models fetch|verify` (also `npm run models`): put model files in place and check their hashes.
import type { Command } from 'commander';
import { fetchModels, verifyModels } from '../../models/fetch-models.js';
import { resolveFrom } from '../../shared/runtime/paths.js';
import { CliError } from '../cli-error.js';
import type { CliEnv } from '../context.js';

export function registerModelsCommands(
  program: Command,
  env: CliEnv,
  modelsFromEnv: string | undefined,
): void {
  const models = program
    .command('models')
    .description('Fetch and verify model files (see models/manifest.json)');

  models
    .command('fetch')
    .option(
      '--from <dir>',
      'copy model files from this directory instead of downloading (env ALPR_MODELS_FROM)',
    )
    .option('--dest <dir>', 'put fetched models here instead of models/')
    .description('Download (or copy) each model in the manifest, then verify its sha256')
    .action(async (options: { from?: string; dest?: string }) => {
      const from = options.from ?? modelsFromEnv;
      try {
        await fetchModels({
          fromDir: from ? resolveFrom(env.cwd, from) : undefined,
          destDir: options.dest ? resolveFrom(env.cwd, options.dest) : undefined,
          log: env.stdout,
        });
      } catch (error) {
        throw new CliError((error as Error).message);
      }
    });

  models
    .command('verify')
    .description('Check every model file against the manifest without fetching')
    .action(async () => {
      const problems = await verifyModels();
      if (problems.length > 0) throw new CliError('model verification failed', 1, problems);
      env.stdout('all model files present and verified');
    });
}
