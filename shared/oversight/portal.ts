// The public transparency portal's content (TP-01, TP-02, TP-04), as data: every figure validated (a
// non-negative integer, else null shown as "unavailable" and an alert raised, never NaN or -Infinity),
// and nothing that names a person, a plate, a case or an image. The hub gathers the live facts; this
// module decides what may be published and how.
import { SHARING_STATEMENT } from '../access/notice.js';

export { SHARING_STATEMENT };

/** Shown for any figure that failed validation. */
export const UNAVAILABLE = 'unavailable';

/** The prohibited uses the portal lists (the city's policy, SB 34, SB 54, PC 13778.2). */
export const PROHIBITED_USES: readonly string[] = [
  'Immigration enforcement, or sharing with federal immigration authorities (SB 54, Government Code 7284.6).',
  'Identifying or tracking people seeking, providing or helping with lawful reproductive health care (Penal Code 13778.2).',
  'Cameras that capture vehicles entering or leaving reproductive health facilities or places of religious observance.',
  'Monitoring lawful protest, assembly, speech or other activity protected by the First Amendment.',
  'Selling ALPR data, or sharing it with anyone but California state and local law enforcement (SB 34).',
  'Automated enforcement: no citation or notice is ever issued from a read.',
  'Searching without a crime type, a case number and a specific justification.',
];

/** Blocked-category ids and their public labels. */
export const BLOCKED_CATEGORY_LABELS: Readonly<Record<string, string>> = {
  immigration: 'Immigration enforcement',
  reproductive_health: 'Reproductive health care',
  protected_activity: 'Protected First Amendment activity',
  religious: 'Religious observance',
};

export interface PortalFacts {
  retentionDays: unknown;
  camerasActive: unknown;
  camerasCompliant: unknown;
  readsRefusedSensitive: unknown;
  agencies: readonly { name: string; type: string; home: boolean }[];
  /** the home agency, agencies whose enrolled edges report to the hub, and every effective grantee */
  agenciesBasis: 'grants';
  hotlistSources: readonly string[];
  /** 'hotlists': from imported hotlists; 'allowlist': the configured allowlist (no hotlists imported yet) */
  hotlistBasis: 'hotlists' | 'allowlist';
  readsStored: unknown;
  readsLast30Days: unknown;
  hitsLast30Days: unknown;
  /** of those hits, how many a person confirmed, and how many still wait unverified */
  hitsConfirmed30d: unknown;
  hitsUnverified30d: unknown;
  searchesInternal30d: unknown;
  searchesExternal30d: unknown;
  blockedByCategory: Readonly<Record<string, unknown>>;
  lastAudit: { date: string; result: string } | null;
  heads: readonly { chain: string; seq: number; hash: string; at: number; keyId: string }[];
  updatedAt: number;
}

export type Figure = number | null;

export interface PortalModel {
  title: string;
  updatedAt: string;
  retentionDays: Figure;
  cameras: { active: Figure; compliant: Figure };
  sensitiveSiteRule: { text: string; readsRefused: Figure };
  agencies: { basis: string; list: { name: string; type: string; home: boolean }[] };
  hotlistSources: { basis: string; list: string[] };
  readsStored: Figure;
  last30Days: {
    vehiclesDetected: Figure;
    hotlistHits: Figure;
    hotlistHitsConfirmed: Figure;
    hotlistHitsUnverified: Figure;
    searchesInternal: Figure;
    searchesExternal: Figure;
  };
  blockedByCategory: { category: string; label: string; count: Figure }[];
  prohibitedUses: readonly string[];
  sharingStatement: string;
  lastAudit: { date: string; result: string } | null;
  auditHeads: { chain: string; seq: number; hash: string; signedAt: string; keyId: string }[];
  /** names of figures that failed validation (each raised an alert) */
  unavailable: string[];
}

/**
 * TP-02: a published count must be a non-negative safe integer; anything else is null.
 * @example checkFigure(Number.NEGATIVE_INFINITY) // null
 */
export function checkFigure(value: unknown): Figure {
  if (typeof value === 'bigint')
    return value >= 0n && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : null;
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

/** A figure as the page shows it. */
export function showFigure(value: Figure): string {
  return value === null ? UNAVAILABLE : value.toLocaleString('en-US');
}

/**
 * The portal's model from live facts, and the names of figures that failed validation (the caller
 * raises one alert per name).
 * @example buildPortal(facts).model.retentionDays // 30
 */
export function buildPortal(facts: PortalFacts): { model: PortalModel; alerts: string[] } {
  const alerts: string[] = [];
  const fig = (name: string, value: unknown): Figure => {
    const checked = checkFigure(value);
    if (checked === null) alerts.push(name);
    return checked;
  };
  const categories = new Set([
    ...Object.keys(BLOCKED_CATEGORY_LABELS),
    ...Object.keys(facts.blockedByCategory),
  ]);
  const model: PortalModel = {
    title: 'San José ALPR transparency portal',
    updatedAt: new Date(facts.updatedAt).toISOString(),
    retentionDays: fig('retentionDays', facts.retentionDays),
    cameras: {
      active: fig('cameras.active', facts.camerasActive),
      compliant: fig('cameras.compliant', facts.camerasCompliant),
    },
    sensitiveSiteRule: {
      text:
        'No camera may capture vehicles entering or leaving a reproductive health facility or a place of religious ' +
        'observance. Each camera is checked against the city’s signed sensitive-site registry; a camera without a ' +
        'current compliant verdict stores nothing.',
      readsRefused: fig('sensitiveSiteRule.readsRefused', facts.readsRefusedSensitive),
    },
    agencies: {
      basis:
        'The department, agencies whose own cameras report to this hub, and every agency with an effective ' +
        'sharing grant (approved by command staff, unexpired, not revoked).',
      list: [...facts.agencies].sort(
        (a, b) => Number(b.home) - Number(a.home) || a.name.localeCompare(b.name),
      ),
    },
    hotlistSources: {
      basis:
        facts.hotlistBasis === 'hotlists'
          ? 'From the hotlists imported.'
          : 'No hotlist has been imported yet: the sources the configuration allows.',
      list: [...facts.hotlistSources].sort(),
    },
    readsStored: fig('readsStored', facts.readsStored),
    last30Days: {
      vehiclesDetected: fig('last30Days.vehiclesDetected', facts.readsLast30Days),
      hotlistHits: fig('last30Days.hotlistHits', facts.hitsLast30Days),
      hotlistHitsConfirmed: fig('last30Days.hotlistHitsConfirmed', facts.hitsConfirmed30d),
      hotlistHitsUnverified: fig('last30Days.hotlistHitsUnverified', facts.hitsUnverified30d),
      searchesInternal: fig('last30Days.searchesInternal', facts.searchesInternal30d),
      searchesExternal: fig('last30Days.searchesExternal', facts.searchesExternal30d),
    },
    blockedByCategory: [...categories].sort().map((category) => ({
      category,
      label: BLOCKED_CATEGORY_LABELS[category] ?? category.replaceAll('_', ' '),
      count: fig(`blockedByCategory.${category}`, facts.blockedByCategory[category] ?? 0),
    })),
    prohibitedUses: PROHIBITED_USES,
    sharingStatement: SHARING_STATEMENT,
    lastAudit: facts.lastAudit,
    auditHeads: facts.heads.map((h) => ({
      chain: h.chain,
      seq: h.seq,
      hash: h.hash,
      signedAt: new Date(h.at).toISOString(),
      keyId: h.keyId,
    })),
    unavailable: alerts,
  };
  return { model, alerts };
}
