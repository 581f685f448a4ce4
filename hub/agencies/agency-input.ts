// The minimal agency record `alpr hub agencies add` accepts, checked in code before the table's own
// SH-01 constraints see it: a California state or local law-enforcement agency, nothing else. The access
// work extends agencies (grants, sharing) and brings the full rule (shared/access); this is its floor.
export const HUB_AGENCY_TYPES = ['local_le', 'state_le'] as const;
export type HubAgencyType = (typeof HUB_AGENCY_TYPES)[number];

export interface HubAgencyInput {
  ori: string;
  name: string;
  type: HubAgencyType;
  home: boolean;
}

const LAW = 'SH-01: ALPR data is shared only with California state and local law enforcement';

/**
 * Normalise and check an agency; returns the problems by field when it may not exist.
 * @example checkHubAgency({ ori: 'ca0430100', name: 'San José PD', type: 'local_le', home: true })
 *   // { ok: true, value: { ori: 'CA0430100', ... } }
 */
export function checkHubAgency(input: {
  ori: string;
  name: string;
  type: string;
  home?: boolean;
}): { ok: true; value: HubAgencyInput } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const ori = input.ori.normalize('NFKC').trim().toUpperCase();
  if (!/^[A-Z0-9]{9}$/.test(ori)) problems.push(`ori: "${ori}" is not an ORI (9 letters or digits)`);
  else if (!ori.startsWith('CA')) problems.push(`ori: "${ori}" is not a California ORI (CA…); ${LAW}`);
  const name = input.name.normalize('NFKC').trim();
  if (name.length < 1 || name.length > 200) problems.push('name: 1-200 characters');
  if (!(HUB_AGENCY_TYPES as readonly string[]).includes(input.type)) {
    problems.push(`type: "${input.type}" is not one of ${HUB_AGENCY_TYPES.join(', ')}; ${LAW}`);
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { ori, name, type: input.type as HubAgencyType, home: input.home ?? false } };
}
