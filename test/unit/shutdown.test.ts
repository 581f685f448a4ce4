import { describe, expect, it } from 'vitest';
import { createLogger } from '../../shared/logging/logger.js';
import { Shutdown, ShutdownLayer } from '../../shared/runtime/shutdown.js';

const silent = createLogger({ level: 'silent' });

describe('Shutdown', () => {
  it('runs layers in order: ingest, services, store', async () => {
    const order: string[] = [];
    const shutdown = new Shutdown(silent);
    shutdown.add('db', ShutdownLayer.store, () => void order.push('store'));
    shutdown.add('camera', ShutdownLayer.ingest, async () => {
      await new Promise((r) => setTimeout(r, 20));
      order.push('ingest');
    });
    shutdown.add('worker', ShutdownLayer.services, () => void order.push('services'));
    await shutdown.run('test');
    expect(order).toEqual(['ingest', 'services', 'store']);
  });

  it('keeps going when a step throws or hangs', async () => {
    const order: string[] = [];
    const shutdown = new Shutdown(silent, 50);
    shutdown.add('broken', ShutdownLayer.ingest, () => {
      throw new Error('boom');
    });
    shutdown.add('hung', ShutdownLayer.services, () => new Promise(() => undefined));
    shutdown.add('db', ShutdownLayer.store, () => void order.push('store'));
    await shutdown.run('test');
    expect(order).toEqual(['store']);
  });

  it('is idempotent: a second call runs nothing twice', async () => {
    let calls = 0;
    const shutdown = new Shutdown(silent);
    shutdown.add('once', ShutdownLayer.store, () => void calls++);
    await Promise.all([shutdown.run('a'), shutdown.run('b')]);
    await shutdown.run('c');
    expect(calls).toBe(1);
  });
});
