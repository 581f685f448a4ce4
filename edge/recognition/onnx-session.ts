// Creates onnxruntime sessions the one way the edge uses them: model file verified against the
// manifest first (a missing or corrupted file fails at start naming file and expected hash),
// tensor names checked, CPU options tuned for a small box, created once per process.
import ort from 'onnxruntime-node';
import { type ModelEntry, verifyModelFile } from '../../models/manifest.js';

export interface SessionSettings {
  /** Intra-op threads (one operator spread over this many cores). */
  threads: number;
}

export class ModelSignatureError extends Error {
  constructor(file: string, expected: string, actual: readonly string[]) {
    super(`model file ${file} has no tensor "${expected}" (it has ${actual.join(', ') || 'none'})`);
    this.name = 'ModelSignatureError';
  }
}

export interface ModelSession {
  readonly entry: ModelEntry;
  readonly file: string;
  readonly inputName: string;
  readonly outputName: string;
  run(input: ort.Tensor): Promise<ort.Tensor>;
  close(): Promise<void>;
}

const tensorName = (side: Record<string, unknown>, file: string): string => {
  const name = side.name;
  if (typeof name !== 'string') throw new Error(`models/manifest.json entry for ${file} lacks a tensor name`);
  return name;
};

/**
 * Verify `file` against `entry` (sha256), then create a session with the edge's CPU options.
 * @example const s = await openModelSession(manifestEntry('recognizer'), 'models/cct_xs_v1_global.onnx', { threads: 2 });
 */
export async function openModelSession(
  entry: ModelEntry,
  file: string,
  settings: SessionSettings,
): Promise<ModelSession> {
  await verifyModelFile(file, entry);
  const session = await ort.InferenceSession.create(file, {
    // Both models are single chains of operators: parallelism comes from intra-op threads only;
    // inter-op threads would just compete for the same two cores.
    intraOpNumThreads: settings.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    enableCpuMemArena: true,
    enableMemPattern: true,
    logSeverityLevel: 3,
  });
  const inputName = tensorName(entry.input, file);
  const outputName = tensorName(entry.output, file);
  if (!session.inputNames.includes(inputName)) {
    await session.release();
    throw new ModelSignatureError(file, inputName, session.inputNames);
  }
  if (!session.outputNames.includes(outputName)) {
    await session.release();
    throw new ModelSignatureError(file, outputName, session.outputNames);
  }
  let closed = false;
  return {
    entry,
    file,
    inputName,
    outputName,
    async run(input) {
      if (closed) throw new Error(`session for ${file} is closed`);
      const outputs = await session.run({ [inputName]: input }, [outputName]);
      return outputs[outputName]!;
    },
    async close() {
      if (closed) return;
      closed = true;
      await session.release();
    },
  };
}

export { ort };
