// The features a hub process runs, in order. A feature is added here and nowhere else.
import { accountsFeature } from './accounts/accounts.feature.js';
import { anchorFeature } from './audit/anchor.feature.js';
import { healthFeature } from './health.feature.js';
import type { HubFeature } from './hub-context.js';
import { ingestFeature } from './ingest/ingest.feature.js';
import { metricsFeature } from './metrics.feature.js';
import { oversightAuditorFeature, oversightFeature } from './oversight/oversight.feature.js';
import { registryFeature } from './registry/registry.feature.js';
import { retentionFeature } from './retention/retention.feature.js';

export const HUB_FEATURES: readonly HubFeature[] = [
  healthFeature,
  metricsFeature,
  accountsFeature,
  ingestFeature,
  registryFeature,
  retentionFeature,
  anchorFeature,
  oversightFeature,
  oversightAuditorFeature,
];
