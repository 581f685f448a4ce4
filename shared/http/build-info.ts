// The alpr_build_info metric (value 1, the version as a label), registered by the edge and the worker alike.
import { Gauge, type Registry } from 'prom-client';
import { ALPR_VERSION } from '../runtime/version.js';

export function registerBuildInfo(registry: Registry, version = ALPR_VERSION): void {
  const info = new Gauge({
    name: 'alpr_build_info',
    help: 'Always 1; the label says which version of alpr is running.',
    labelNames: ['version'],
    registers: [registry],
  });
  info.set({ version }, 1);
}
