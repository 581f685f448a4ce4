// Agencies, actors and inquiry bodies for the sharing tests: a home agency (San José) that owns the
// cameras, an outside California agency (Palo Alto) that asks, and people of each with a role. Actors
// are what the sharing services take (the route layer builds them from the signed-in principal).
import { addAgency } from '../../hub/agencies/agencies.service.js';
import type { HubContext } from '../../hub/hub-context.js';
import type { Actor } from '../../hub/sharing/sharing-context.js';

export const OWNER = { ori: 'CA0430100', name: 'San José Police Department', type: 'local_le', home: true };
export const ASKER = { ori: 'CA0410900', name: 'Palo Alto Police Department', type: 'local_le' };
export const THIRD = { ori: 'CA0349400', name: 'California Highway Patrol', type: 'state_le' };

export interface SharingAgencies {
  owner: number;
  asker: number;
  third: number;
}

export async function addSharingAgencies(ctx: Pick<HubContext, 'db' | 'audit' | 'keys' | 'clock'>) {
  const owner = await addAgency(ctx, OWNER, 'test');
  const asker = await addAgency(ctx, ASKER, 'test');
  const third = await addAgency(ctx, THIRD, 'test');
  return { owner: owner.id, asker: asker.id, third: third.id };
}

let nextUser = 1000;
export function actor(username: string, role: string, agencyId: number, agency: string): Actor {
  nextUser += 1;
  return { userId: nextUser, username, role, agencyId, agency, clientAddress: '127.0.0.1' };
}

/** The people the tests use, by agency and role. */
export function sharingPeople(a: SharingAgencies) {
  return {
    asker: actor('det.moreno', 'investigator', a.asker, ASKER.ori),
    askerCommand: actor('cmdr.lee', 'command', a.asker, ASKER.ori),
    ownerInvestigator: actor('det.alvarez', 'investigator', a.owner, OWNER.ori),
    ownerSupervisor: actor('sgt.nguyen', 'supervisor', a.owner, OWNER.ori),
    ownerCommand: actor('cmdr.diaz', 'command', a.owner, OWNER.ori),
    thirdInvestigator: actor('ofc.park', 'investigator', a.third, THIRD.ori),
    thirdCommand: actor('cmdr.ross', 'command', a.third, THIRD.ori),
  };
}

export function inquiryBody(
  now: number,
  overrides: Record<string, unknown> = {},
  search: Record<string, unknown> = {},
) {
  return {
    agency: ASKER.ori,
    officer: 'Det. R. Moreno #4411',
    search: {
      plate: '7ABC123',
      from: new Date(now - 2 * 86_400_000).toISOString(),
      to: new Date(now - 86_400_000).toISOString(),
      crimeType: 'robbery',
      caseNumber: '26-000123',
      justification: 'armed robbery at the Valero on King Rd, suspect left in a white Civic',
      ...search,
    },
    ...overrides,
  };
}
