// Fetches or copies model files into place and verifies them against the manifest.
// Sources, in order: a local directory (--from / ALPR_MODELS_FROM), else the upstream URL.
// A file is written under a temporary name and renamed only after its hash checks out.

import { existsSync } from 'node:fs';
import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defaultModelPath, loadManifest, type ModelEntry, sha256File, verifyModelFile } from './manifest.js';

export interface FetchOptions {
  /** Directory holding the model files (copied instead of downloaded). */
  fromDir?: string;
  /** Destination directory for fetched models; default models/ in the project. */
  destDir?: string;
  log?: (line: string) => void;
  fetchImpl?: typeof fetch;
}

export interface FetchOutcome {
  name: string;
  file: string;
  action: 'present' | 'copied' | 'downloaded' | 'npm-verified';
}

export async function fetchModels(options: FetchOptions = {}): Promise<FetchOutcome[]> {
  const log = options.log ?? (() => undefined);
  const outcomes: FetchOutcome[] = [];
  for (const entry of loadManifest()) {
    if (entry.source.kind === 'npm') {
      const file = defaultModelPath(entry);
      await verifyModelFile(file, entry);
      log(
        `ok   ${entry.name}: ${path.relative(process.cwd(), file)} (from npm package ${entry.source.package})`,
      );
      outcomes.push({ name: entry.name, file, action: 'npm-verified' });
      continue;
    }
    const dest = options.destDir ? path.join(options.destDir, entry.file) : defaultModelPath(entry);
    if (existsSync(dest) && (await sha256File(dest)) === entry.sha256) {
      log(`ok   ${entry.name}: ${dest} already present and verified`);
      outcomes.push({ name: entry.name, file: dest, action: 'present' });
      continue;
    }
    await mkdir(path.dirname(dest), { recursive: true });
    const partial = `${dest}.partial-${process.pid}`;
    try {
      let action: FetchOutcome['action'];
      if (options.fromDir) {
        const src = path.join(options.fromDir, entry.file);
        if (!existsSync(src))
          throw new Error(`${src} does not exist (looked for ${entry.file} in --from directory)`);
        log(`copy ${entry.name}: ${src}`);
        await copyFile(src, partial);
        action = 'copied';
      } else {
        log(`get  ${entry.name}: ${entry.source.url}`);
        await download(entry, partial, options.fetchImpl ?? fetch);
        action = 'downloaded';
      }
      await verifyModelFile(partial, entry).catch((error: Error) => {
        throw new Error(
          error.message.replace(partial, `${dest} (from ${options.fromDir ?? entry.source.kind})`),
        );
      });
      await rename(partial, dest);
      log(`ok   ${entry.name}: ${dest} sha256 ${entry.sha256.slice(0, 12)}…`);
      outcomes.push({ name: entry.name, file: dest, action });
    } finally {
      await rm(partial, { force: true });
    }
  }
  return outcomes;
}

async function download(entry: ModelEntry, to: string, fetchImpl: typeof fetch): Promise<void> {
  if (entry.source.kind !== 'url') throw new Error(`${entry.name} has no download URL`);
  let response: Response;
  try {
    response = await fetchImpl(entry.source.url, {
      redirect: 'follow',
      signal: AbortSignal.timeout(120_000),
    });
  } catch (error) {
    throw new Error(
      `cannot download ${entry.name} from ${entry.source.url}: ${(error as Error).message}. ` +
        'Without internet, copy it from a directory: npm run models -- --from DIR (or set ALPR_MODELS_FROM)',
    );
  }
  if (!response.ok) throw new Error(`download of ${entry.name} failed: HTTP ${response.status}`);
  await writeFile(to, Buffer.from(await response.arrayBuffer()));
}

/** Verify every model in place without fetching; returns problems (empty when all are good). */
export async function verifyModels(): Promise<string[]> {
  const problems: string[] = [];
  for (const entry of loadManifest()) {
    try {
      await verifyModelFile(defaultModelPath(entry), entry);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return problems;
}
