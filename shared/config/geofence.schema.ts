// Geofence section: where the sensitive-site registry lives and how far from a site a camera must stay.
import { z } from 'zod';

export const SITE_CATEGORIES = ['reproductive_health', 'religious_observance'] as const;
export type SiteCategory = (typeof SITE_CATEGORIES)[number];

const hubRegistrySchema = z
  .strictObject({
    url: z
      .string()
      .regex(/^https?:\/\/[^/]+/, 'must be an http:// or https:// URL')
      .optional()
      .describe(
        'The hub the city registry is fetched from (GET /api/v1/registry on every re-check); unset: forward.hubUrl.',
      ),
    publicKey: z
      .string()
      .min(1)
      .describe(
        "The hub's registry public key (base64 raw Ed25519, printed by `alpr hub edges add`): a registry that does not verify under it is never used.",
      ),
    edgeKeyPath: z
      .string()
      .min(1)
      .optional()
      .describe(
        "File holding this edge's secret from `alpr hub edges add` (mode 0600); unset: forward.edgeKeyPath.",
      ),
    maxStaleS: z
      .number()
      .int()
      .min(30)
      .max(86_400)
      .default(600)
      .describe(
        'An edge that could not refresh the registry from the hub for this long refuses every read (fail closed); its last good copy serves until then.',
      ),
    timeoutMs: z
      .number()
      .int()
      .min(100)
      .max(60_000)
      .default(5000)
      .describe('Longest wait for one registry request to the hub.'),
  })
  .describe(
    'Fetch the city registry from the hub (signed, verified) instead of reading registryPath, which then holds its last good copy.',
  );

export const sitesSchema = z
  .strictObject({
    registryPath: z
      .string()
      .default('./data/sites.geojson')
      .describe('GeoJSON FeatureCollection of sensitive sites (imported with `alpr sites import`).'),
    bufferM: z
      .strictObject({
        reproductive_health: z
          .number()
          .min(0)
          .max(5000)
          .default(30)
          .describe('Buffer around these sites, metres.'),
        religious_observance: z
          .number()
          .min(0)
          .max(5000)
          .default(30)
          .describe('Buffer around these sites, metres.'),
      })
      .prefault({})
      .describe(
        'Minimum distance in metres between a capture area and a site parcel or entrance, per category.',
      ),
    reevaluateEveryS: z
      .number()
      .gt(0)
      .max(3600)
      .default(10)
      .describe(
        'How often the edge re-checks the registry file and camera geometry; a registry unchecked for 3 periods refuses every read.',
      ),
    hub: hubRegistrySchema.optional(),
    refusedAuditEveryS: z
      .number()
      .int()
      .min(10)
      .max(86_400)
      .default(300)
      .describe('Refused-read counts per camera and reason go to the audit chain at most this often.'),
    maxSiteCameraDistanceKm: z
      .number()
      .min(0)
      .max(20_000)
      .default(200)
      .describe(
        'A site farther than this from every camera of the node, or a camera farther than this from every site, is refused as a probable coordinate error (e.g. latitude and longitude swapped); 0 turns the check off.',
      ),
  })
  .describe('Sensitive-location registry and geofence buffers.');
