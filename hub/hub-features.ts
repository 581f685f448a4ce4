// The features a hub process runs, in order. A feature is added here and nowhere else.
import { healthFeature } from './health.feature.js';
import type { HubFeature } from './hub-context.js';
import { retentionFeature } from './retention/retention.feature.js';

export const HUB_FEATURES: readonly HubFeature[] = [healthFeature, retentionFeature];
