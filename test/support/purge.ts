// Purge and hold fixtures: a store with reads at given ages, a purge service with test defaults, and
// helpers to run the project's own TypeScript in a separate process (real concurrency through SQLite).
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { createLogger } from '../../shared/logging/logger.js';
import { DAY_MS } from '../../shared/runtime/clock.js';
import { PROJECT_ROOT } from '../../shared/runtime/paths.js';
import { openStore, type Store } from '../../shared/store/store.js';
import { PurgeService, type PurgeServiceOptions } from '../../worker/purge.service.js';
import { makeRead, seedCompliantCamera } from './factories.js';
import { tempDir } from './temp-dir.js';

export const quietLogger = () => createLogger({ level: 'silent' });

export function newStoreFile(): string {
  return path.join(tempDir('alpr-purge-'), 'alpr.db');
}

/** A store with cam-1 registered and compliant. */
export function openSeededStore(file = newStoreFile()): { store: Store; verdictId: number } {
  const store = openStore(file, { retentionDays: 30 });
  const verdictId = store.verdicts.latestFor('cam-1')?.id ?? seedCompliantCamera(store);
  return { store, verdictId };
}

/** Insert reads captured `ageMs` before `now`; returns their ids. */
export function insertReadsAged(
  store: Store,
  verdictId: number,
  now: number,
  ages: readonly number[],
  overrides: (i: number) => Parameters<typeof makeRead>[0] = () => ({}),
): number[] {
  return store.reads.insertMany(
    ages.map((age, i) =>
      makeRead({ verdictId, capturedAt: now - age, plate: `T${i}`, rawText: `T${i}`, ...overrides(i) }),
    ),
    now,
  );
}

/** `count` expired reads (31+ days old), in batches, with plates PREFIX + number. */
export function insertExpired(
  store: Store,
  verdictId: number,
  now: number,
  count: number,
  prefix = 'X',
): void {
  for (let i = 0; i < count; i += 10_000) {
    const n = Math.min(10_000, count - i);
    store.reads.insertMany(
      Array.from({ length: n }, (_, j) => {
        const plate = `${prefix}${i + j}`;
        return makeRead({ verdictId, capturedAt: now - 31 * DAY_MS - (i + j), plate, rawText: plate });
      }),
      now,
    );
  }
}

export function purgeService(store: Store, overrides: Partial<PurgeServiceOptions> = {}): PurgeService {
  return new PurgeService({
    store,
    nodeId: 'node-t',
    chunkSize: 500,
    chunkMaxLockMs: 50,
    chunkPauseMs: 0,
    cropsDir: path.join(path.dirname(store.file), 'crops'),
    clock: () => Date.now(),
    logger: quietLogger(),
    ...overrides,
  });
}

export function rawCount(store: Store, sql = 'SELECT count(*) AS n FROM reads'): number {
  return (store.db.prepare(sql).get() as { n: number }).n;
}

/** Fork a TypeScript helper from test/support with the tsx loader and an IPC channel. */
export function forkTs(script: string, args: string[]): ChildProcess {
  return fork(path.join(PROJECT_ROOT, 'test', 'support', script), args, {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Resolve with the first IPC message matching `pred`; reject if the child exits first. */
export function nextMessage<T>(
  child: ChildProcess,
  pred: (m: unknown) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out waiting for child message')), timeoutMs);
    const onMessage = (m: unknown) => {
      if (!pred(m)) return;
      cleanup();
      resolve(m as T);
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`child exited (code ${code}, signal ${signal}) before the expected message`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

export function exited(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}
