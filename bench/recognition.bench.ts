// `npm run bench:recognition [-- EVAL OPTIONS]`: `alpr eval` on the shared openalpr-us-dev photos
// (found by walking up from the project; licensed material, never copied into the repository).
// Prints the summary with the settings and machine context; writes bench-results/recognition.md.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { main } from '../cli/main.js';
import { PROJECT_ROOT } from '../shared/runtime/paths.js';
import { DATASET_DIR } from '../test/support/shared-assets.js';

if (!DATASET_DIR) {
  process.stderr.write('bench:recognition: no shared/datasets/openalpr-us-dev found above the project\n');
  process.exit(1);
}
const reportDir = path.join(PROJECT_ROOT, 'bench-results');
mkdirSync(reportDir, { recursive: true });
const args = [
  'eval',
  '--dataset',
  DATASET_DIR,
  '--report',
  path.join(reportDir, 'recognition.md'),
  ...process.argv.slice(2),
];
process.stderr.write(`bench:recognition: alpr ${args.join(' ')}\n`);
process.exitCode = await main(['node', 'alpr', ...args]);
