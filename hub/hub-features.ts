// The features a hub process runs, in order. A feature is added here and nowhere else.
import { accountsFeature } from './accounts/accounts.feature.js';
import { accessLogFeature } from './audit/access-log.feature.js';
import { anchorFeature } from './audit/anchor.feature.js';
import { opsEventsFeature } from './events/ops-events.feature.js';
import { healthFeature } from './health.feature.js';
import { holdsApiFeature } from './holds/holds-api.feature.js';
import { hotlistsFeature } from './hotlists/hotlists.feature.js';
import type { HubFeature } from './hub-context.js';
import { ingestFeature } from './ingest/ingest.feature.js';
import { metricsFeature } from './metrics.feature.js';
import { pagesFeature } from './pages/pages.feature.js';
import { registryFeature } from './registry/registry.feature.js';
import { retentionFeature } from './retention/retention.feature.js';
import { searchFeature } from './search/search.feature.js';
import { sharingFeature } from './sharing/sharing.feature.js';

export const HUB_FEATURES: readonly HubFeature[] = [
  healthFeature,
  metricsFeature,
  accountsFeature,
  ingestFeature,
  registryFeature,
  retentionFeature,
  sharingFeature,
  anchorFeature,
  searchFeature,
  holdsApiFeature,
  accessLogFeature,
  hotlistsFeature,
  opsEventsFeature,
  pagesFeature,
];
