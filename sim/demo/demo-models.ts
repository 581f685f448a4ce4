// Makes sure the model files are in place before the demo starts: verified where they are, else copied
// from a local directory (--models-from, ALPR_MODELS_FROM, or a shared/models folder above the project),
// else downloaded from the manifest's upstream URL. Every file is sha256-checked either way.
import { fetchModels, verifyModels } from '../../models/fetch-models.js';
import { findSharedDir } from '../../shared/runtime/paths.js';

export async function ensureDemoModels(
  fromDir: string | undefined,
  log: (line: string) => void,
): Promise<string> {
  if ((await verifyModels()).length === 0) return 'already in place';
  const source = fromDir ?? findSharedDir('models');
  log(`      model files missing: ${source ? `copying from ${source}` : 'downloading (npm run models)'}`);
  await fetchModels({ fromDir: source, log: (line) => log(`      ${line}`) });
  return source ? 'copied and verified' : 'downloaded and verified';
}
