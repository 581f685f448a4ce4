// Geofence section: where the sensitive-site registry lives and how far from a site a camera must stay.
import { z } from 'zod';

export const SITE_CATEGORIES = ['reproductive_health', 'religious_observance'] as const;
export type SiteCategory = (typeof SITE_CATEGORIES)[number];

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
