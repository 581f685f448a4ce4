import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fetchModels } from '../../models/fetch-models.js';
import { ModelFileError, manifestEntry, verifyModelFile } from '../../models/manifest.js';
import { SHARED_MODELS_DIR } from '../support/shared-assets.js';
import { tempDir } from '../support/temp-dir.js';

const recognizer = manifestEntry('recognizer');

describe('model files', () => {
  it('finds the shared model directory (CI must provide it)', () => {
    expect(SHARED_MODELS_DIR, 'shared/models not found above the project').toBeDefined();
  });

  it('copies the recognizer from a directory and verifies its sha256', async () => {
    const dest = tempDir();
    const lines: string[] = [];
    const outcomes = await fetchModels({
      fromDir: SHARED_MODELS_DIR!,
      destDir: dest,
      log: (l) => lines.push(l),
    });
    expect(outcomes.find((o) => o.name === recognizer.name)).toMatchObject({ action: 'copied' });
    expect(existsSync(path.join(dest, recognizer.file))).toBe(true);
    const again = await fetchModels({ fromDir: SHARED_MODELS_DIR!, destDir: dest });
    expect(again.find((o) => o.name === recognizer.name)?.action).toBe('present');
  });

  it('names the file and the expected hash when a model is missing', async () => {
    const file = path.join(tempDir(), recognizer.file);
    await expect(verifyModelFile(file, recognizer)).rejects.toThrow(
      new RegExp(`${file.replaceAll('/', '\\/')} is missing; expected sha256 ${recognizer.sha256}`),
    );
  });

  it('names the file and both hashes when a model is corrupted', async () => {
    const file = path.join(tempDir(), recognizer.file);
    copyFileSync(path.join(SHARED_MODELS_DIR!, recognizer.file), file);
    writeFileSync(file, Buffer.from('corrupted'), { flag: 'r+' });
    const error = await verifyModelFile(file, recognizer).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as Error).message).toMatch(/is corrupted or the wrong version \(sha256 [0-9a-f]{64}\)/);
    expect((error as Error).message).toContain(recognizer.sha256);
  });

  it('leaves nothing behind when a copied file fails verification', async () => {
    const source = tempDir();
    const dest = tempDir();
    writeFileSync(path.join(source, recognizer.file), 'not a model');
    await expect(fetchModels({ fromDir: source, destDir: dest })).rejects.toThrow(/expected sha256/);
    expect(existsSync(path.join(dest, recognizer.file))).toBe(false);
  });

  it('explains how to work offline when the download fails', async () => {
    const failingFetch = (() =>
      Promise.reject(new Error('getaddrinfo ENOTFOUND'))) as unknown as typeof fetch;
    await expect(fetchModels({ destDir: tempDir(), fetchImpl: failingFetch })).rejects.toThrow(/--from DIR/);
  });
});
