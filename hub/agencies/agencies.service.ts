// Agencies at the hub: add one (checked by the one agency rule, shared/access/agencies validateAgency,
// then by the table's SH-01 constraints), find one by ORI or id, list them. Every addition is audited in
// the transaction that makes it.

import { validateAgency } from '../../shared/access/agencies.js';
import { HubAuditKind } from '../audit/hub-audit-kinds.js';
import type { HubSql } from '../db/hub-db.js';
import { sqlState } from '../db/hub-db.js';
import type { HubContext } from '../hub-context.js';

export type HubAdminServices = Pick<HubContext, 'db' | 'audit' | 'keys' | 'clock'>;

export interface AgencyRecord {
  id: number;
  ori: string;
  name: string;
  type: string;
  isHome: boolean;
  createdAt: number;
}

export class AgencyError extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
    this.name = 'AgencyError';
  }
}

interface Raw {
  id: number;
  ori: string;
  name: string;
  agency_type: string;
  is_home: boolean;
  created_at: Date;
}
const toRecord = (r: Raw): AgencyRecord => ({
  id: r.id,
  ori: r.ori,
  name: r.name,
  type: r.agency_type,
  isHome: r.is_home,
  createdAt: r.created_at.getTime(),
});

export async function addAgency(
  hub: HubAdminServices,
  input: { ori: string; name: string; type: string; state?: string; home?: boolean },
  actor: string,
): Promise<AgencyRecord> {
  const { home: rawHome, ...record } = input;
  const checked = validateAgency({ state: 'CA', ...record });
  if (!checked.ok) {
    throw new AgencyError(
      'agency refused',
      checked.problems.map((p) => `${p.field}: ${p.message}`),
    );
  }
  const { ori, name, type } = checked.value;
  const home = rawHome === true;
  const now = hub.clock();
  try {
    return await hub.db.transaction(async (tx) => {
      const rows = await tx.query<Raw>(
        `INSERT INTO agencies (ori, name, agency_type, state, is_home, created_at)
         VALUES ($1, $2, $3, 'CA', $4, $5) RETURNING *`,
        [ori, name, type, home, new Date(now)],
      );
      const agency = toRecord(rows[0]!);
      await hub.audit.append(
        tx,
        { kind: HubAuditKind.agencyCreated, actor, payload: { ori, name, type, home } },
        now,
      );
      return agency;
    });
  } catch (error) {
    if (sqlState(error) === '23505') {
      const which = /single_home/.test((error as Error).message)
        ? 'there already is a home agency'
        : `an agency with ORI ${ori} already exists`;
      throw new AgencyError(which);
    }
    throw error;
  }
}

export async function findAgencyByOri(sql: HubSql, ori: string): Promise<AgencyRecord | undefined> {
  const rows = await sql.query<Raw>('SELECT * FROM agencies WHERE ori = $1', [ori.trim().toUpperCase()]);
  return rows[0] ? toRecord(rows[0]) : undefined;
}

export async function findAgencyById(sql: HubSql, id: number): Promise<AgencyRecord | undefined> {
  const rows = await sql.query<Raw>('SELECT * FROM agencies WHERE id = $1', [id]);
  return rows[0] ? toRecord(rows[0]) : undefined;
}

/** The home agency (whose cameras these are), if one was added. */
export async function findHomeAgency(sql: HubSql): Promise<AgencyRecord | undefined> {
  const rows = await sql.query<Raw>('SELECT * FROM agencies WHERE is_home');
  return rows[0] ? toRecord(rows[0]) : undefined;
}

export async function listAgencies(sql: HubSql): Promise<AgencyRecord[]> {
  return (await sql.query<Raw>('SELECT * FROM agencies ORDER BY ori')).map(toRecord);
}
