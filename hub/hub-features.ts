// The features a hub process runs, in order. A feature is added here and nowhere else.
import { healthFeature } from './health.feature.js';
import type { HubFeature } from './hub-context.js';
import { retentionFeature } from './retention/retention.feature.js';

// hub/registry/registry.feature.ts (GET /api/v1/registry, auth kind `edge`) joins this list together with
// the feature that provides the edge authenticator (enrolment): a route whose authenticator is missing
// stops the hub at start, by design.
export const HUB_FEATURES: readonly HubFeature[] = [healthFeature, retentionFeature];
