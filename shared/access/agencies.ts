// Which agency may exist (SH-01; Civil Code §1798.90.55(b), SB 54, AG bulletin 2023-DLE-06): a California
// state or local law-enforcement agency, nothing else. Federal, out-of-state and private entities are
// refused with the reason, and an agency record whose name says "federal" or names an immigration agency
// is refused whatever its type claims. The database re-checks state = 'CA' and the type.
import type { AccessProblem, Checked } from './problems.js';
import { screenPurpose } from './purpose-screen.js';
import { foldText } from './text-fold.js';

export const AGENCY_TYPES = ['local_le', 'state_le'] as const;
export type AgencyType = (typeof AGENCY_TYPES)[number];

export interface Agency {
  name: string;
  /** NCIC Originating Agency Identifier: 9 characters, "CA" first for a California agency. */
  ori: string;
  type: AgencyType;
  state: 'CA';
}

const FEDERAL_TYPES = /^(federal|fed|federal_le|us|national|dhs|doj|military)$/;
const PRIVATE_TYPES =
  /^(private|company|corporation|business|vendor|contractor|commercial|security|nonprofit|individual)$/;
/** Words in a name that mark a federal agency, folded ("U.S." → "u s"). */
const FEDERAL_NAME =
  /\b(federal|fbi|dea|atf|usms|united states|u s|homeland|customs|border patrol|national guard)\b/;
const LAW =
  'Civil Code §1798.90.55(b) and SB 54 allow sharing ALPR data only with California state and local law enforcement';

/**
 * Check an ORI: 9 letters or digits, starting with "CA".
 * @example checkOri('ca0431100') // { ok: true, value: 'CA0431100' }
 */
export function checkOri(input: unknown, field = 'ori'): Checked<string> {
  const ori = typeof input === 'string' ? input.normalize('NFKC').trim().toUpperCase() : '';
  if (ori === '') return { ok: false, problems: [{ field, code: 'missing', message: 'an ORI is required' }] };
  if (!/^[A-Z0-9]{9}$/.test(ori)) {
    return {
      ok: false,
      problems: [{ field, code: 'bad_ori', message: `"${ori}" is not an ORI (9 letters or digits)` }],
    };
  }
  if (!ori.startsWith('CA')) {
    return {
      ok: false,
      problems: [
        {
          field,
          code: 'out_of_state',
          message: `"${ori}" is not a California ORI (must start with CA); ${LAW}`,
        },
      ],
    };
  }
  return { ok: true, value: ori };
}

/**
 * Validate an agency record. Unknown fields (such as `federal: true` or a `national` flag) are refused.
 * @example validateAgency({ name: 'San José Police Department', ori: 'CA0431100', type: 'local_le', state: 'CA' })
 *   // { ok: true, value: { name: 'San José Police Department', ori: 'CA0431100', type: 'local_le', state: 'CA' } }
 * @example validateAgency({ name: 'FBI San Francisco', ori: 'CA0000000', type: 'federal', state: 'CA' })
 *   // { ok: false, problems: [{ field: 'type', code: 'federal', message: 'federal agencies may not ...' }, ...] }
 */
export function validateAgency(input: unknown): Checked<Agency> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, problems: [{ field: '', message: 'an agency must be an object' }] };
  }
  const raw = input as Record<string, unknown>;
  const problems: AccessProblem[] = [];
  for (const key of Object.keys(raw)) {
    if (key === 'federal' && raw.federal === true) {
      problems.push({
        field: 'federal',
        code: 'federal',
        message: `federal agencies may not receive ALPR data; ${LAW}`,
      });
    } else if (!['name', 'ori', 'type', 'state'].includes(key)) {
      problems.push({
        field: key,
        code: 'unknown_field',
        message: 'unknown field (an agency has name, ori, type, state)',
      });
    }
  }
  const name = typeof raw.name === 'string' ? raw.name.normalize('NFKC').trim().replace(/\s+/gu, ' ') : '';
  if (name.length < 3 || name.length > 200) {
    problems.push({ field: 'name', code: 'bad_name', message: 'a name of 3-200 characters is required' });
  } else {
    const folded = foldText(name).replace(/[^\p{L}\p{N}]+/gu, ' ');
    const screen = screenPurpose({ name });
    if (FEDERAL_NAME.test(folded) || (screen.blocked && screen.category === 'immigration')) {
      problems.push({
        field: 'name',
        code: 'federal',
        message: `the name names a federal or immigration agency; ${LAW}`,
      });
    }
  }
  const ori = checkOri(raw.ori);
  if (!ori.ok) problems.push(...ori.problems);
  const type = typeof raw.type === 'string' ? raw.type.trim().toLowerCase() : '';
  if (type === '')
    problems.push({ field: 'type', code: 'missing', message: 'a type (local_le or state_le) is required' });
  else if (FEDERAL_TYPES.test(type)) {
    problems.push({
      field: 'type',
      code: 'federal',
      message: `federal agencies may not receive ALPR data; ${LAW}`,
    });
  } else if (PRIVATE_TYPES.test(type)) {
    problems.push({
      field: 'type',
      code: 'private',
      message: `private entities may not receive ALPR data; ${LAW}`,
    });
  } else if (!(AGENCY_TYPES as readonly string[]).includes(type)) {
    problems.push({
      field: 'type',
      code: 'bad_type',
      message: `"${type}" is not an agency type; use local_le or state_le`,
    });
  }
  const state = typeof raw.state === 'string' ? raw.state.trim().toUpperCase() : '';
  if (state === '') problems.push({ field: 'state', code: 'missing', message: 'state is required (CA)' });
  else if (state !== 'CA') {
    problems.push({
      field: 'state',
      code: 'out_of_state',
      message: `out-of-state agencies (${state}) may not receive ALPR data; ${LAW}`,
    });
  }
  if (problems.length > 0 || !ori.ok) return { ok: false, problems };
  return { ok: true, value: { name, ori: ori.value, type: type as AgencyType, state: 'CA' } };
}
