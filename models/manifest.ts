// The model manifest and the check every process runs before loading a model:
// the file must exist and match the manifest's sha256, or start-up fails naming both.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../shared/runtime/paths.js';

export type ModelRole = 'recognizer' | 'detector';

export interface ModelEntry {
  name: string;
  role: ModelRole;
  file: string;
  source: { kind: 'url'; url: string } | { kind: 'npm'; package: string; path: string };
  sha256: string;
  size: number;
  licence: string;
  input: Record<string, unknown>;
  output: Record<string, unknown>;
}

export const MANIFEST_PATH = path.join(PROJECT_ROOT, 'models', 'manifest.json');

export function loadManifest(file = MANIFEST_PATH): ModelEntry[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as { models: ModelEntry[] }).models;
}

export function manifestEntry(role: ModelRole, manifest = loadManifest()): ModelEntry {
  const entry = manifest.find((m) => m.role === role);
  if (!entry) throw new Error(`models/manifest.json has no ${role} model`);
  return entry;
}

/** Where a model lives by default: models/ for fetched files, node_modules for npm-shipped ones. */
export function defaultModelPath(entry: ModelEntry): string {
  return entry.source.kind === 'npm'
    ? path.join(PROJECT_ROOT, 'node_modules', entry.source.package, entry.source.path)
    : path.join(PROJECT_ROOT, 'models', entry.file);
}

export class ModelFileError extends Error {
  constructor(
    readonly file: string,
    readonly expectedSha256: string,
    problem: string,
  ) {
    super(`model file ${file} ${problem}; expected sha256 ${expectedSha256} (run \`npm run models\`)`);
    this.name = 'ModelFileError';
  }
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Throw ModelFileError unless `file` exists and has the manifest's hash. */
export async function verifyModelFile(file: string, entry: ModelEntry): Promise<void> {
  if (!existsSync(file)) throw new ModelFileError(file, entry.sha256, 'is missing');
  const actual = await sha256File(file);
  if (actual !== entry.sha256) {
    throw new ModelFileError(file, entry.sha256, `is corrupted or the wrong version (sha256 ${actual})`);
  }
}
