// Audit section: the Ed25519 key that signs chain heads and the append-only anchor file they go to.
// Both live outside the database on purpose: whoever can rewrite the database cannot take back a signed
// head anchored elsewhere (docs/audit.md says what that does and does not prove).
import path from 'node:path';
import { z } from 'zod';

export const auditSchema = z
  .strictObject({
    keyPath: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Ed25519 private key (PEM) that signs audit heads; created with mode 0600 on first start, refused if others can read it. Default: keys/audit-head.key beside the store.',
      ),
    anchorPath: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Append-only file of signed audit heads (one JSON line each); best on another disk or an append-only mount. Default: audit-anchors.jsonl beside the store.',
      ),
    anchorEveryS: z
      .number()
      .int()
      .min(1)
      .max(86_400)
      .default(300)
      .describe(
        'Edge and worker sign and append the head at least this often when the chain moved (also after every purge receipt and at shutdown).',
      ),
  })
  .describe('Signed audit heads and the anchor file.');

export type AuditConfig = z.output<typeof auditSchema>;

export interface AuditPaths {
  keyPath: string;
  anchorPath: string;
}

/**
 * Where the signing key and the anchor file of the store at `storeFile` are: the configured paths, else
 * beside the store (so `--db OTHER` never mixes another store's anchors into this one's).
 * @example auditPathsFor({ anchorEveryS: 300 }, '/var/lib/alpr/alpr.db').anchorPath // '/var/lib/alpr/audit-anchors.jsonl'
 */
export function auditPathsFor(audit: AuditConfig, storeFile: string): AuditPaths {
  const dir = path.dirname(path.resolve(storeFile));
  return {
    keyPath: audit.keyPath ?? path.join(dir, 'keys', 'audit-head.key'),
    anchorPath: audit.anchorPath ?? path.join(dir, 'audit-anchors.jsonl'),
  };
}
