// What every sharing service needs besides the database: the acting person (from the route's principal,
// with the ORI of their agency, which the pure rules speak in), the access rules built from the one
// config, the lexicon, and the audit payload shape. One place, so inquiries, grants and exports agree.
import { readFileSync } from 'node:fs';
import { type AccessRules, accessRulesFromConfig } from '../../shared/access/access-rules.js';
import type { CompiledLexicon } from '../../shared/access/lexicon.js';
import { parseLexicon } from '../../shared/access/lexicon-compile.js';
import { DEFAULT_COMPILED_LEXICON } from '../../shared/access/lexicon-default.js';
import { NOTICE_VERSION } from '../../shared/access/notice.js';
import type { AccessProblem } from '../../shared/access/problems.js';
import { identityKey } from '../../shared/access/text-fold.js';
import { type AccessAuditPayload, accessPayload } from '../../shared/audit/access-audit.js';
import type { HubSql } from '../db/hub-db.js';
import { HttpError, unprocessable } from '../http/http-errors.js';
import type { Principal } from '../http/hub-route.js';
import type { HubContext } from '../hub-context.js';

export type SharingServices = Pick<HubContext, 'db' | 'audit' | 'clock' | 'config'>;

/** The person acting, as the sharing services need them. */
export interface Actor {
  userId: number;
  username: string;
  role: string;
  agencyId: number;
  /** ORI of the actor's agency. */
  agency: string;
  /** Client address for the audit (SB 34), when known. */
  clientAddress?: string | null;
}

/** The actor of a signed-in principal; a principal that is not a person is refused. */
export async function actorOf(
  sql: HubSql,
  principal: Principal,
  clientAddress: string | null = null,
): Promise<Actor> {
  if (principal.kind !== 'user') throw new HttpError(401, 'unauthorized', 'a signed-in person is required');
  const rows = await sql.query<{ ori: string }>('SELECT ori FROM agencies WHERE id = $1', [
    principal.agencyId,
  ]);
  if (!rows[0]) throw new HttpError(403, 'forbidden', 'your account belongs to no known agency');
  return {
    userId: principal.userId,
    username: principal.username,
    role: principal.role,
    agencyId: principal.agencyId,
    agency: rows[0].ori,
    clientAddress,
  };
}

/** The key two usernames are compared on (case, spacing, look-alikes folded); the tables store it. */
export const personKey = (username: string) => identityKey(username);

/** The rules and lexicon of this hub, built once per process from its config. */
export interface SharingRules {
  access: AccessRules;
  lexicon: CompiledLexicon;
}

const cache = new WeakMap<object, SharingRules>();

/** The access rules and lexicon from `config` (the lexicon file read once; an invalid one throws). */
export function sharingRules(config: HubContext['config']): SharingRules {
  const cached = cache.get(config);
  if (cached) return cached;
  let lexicon = DEFAULT_COMPILED_LEXICON;
  if (config.access.lexiconPath) {
    const parsed = parseLexicon(readFileSync(config.access.lexiconPath, 'utf8'));
    if (!parsed.ok) {
      throw new Error(
        `access.lexiconPath: ${parsed.problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`,
      );
    }
    lexicon = parsed.value;
  }
  const rules = { access: accessRulesFromConfig(config.access, config.retention.days), lexicon };
  cache.set(config, rules);
  return rules;
}

/** An audit payload for `actor` with every SB 34 field present. */
export function actorPayload(
  actor: Actor,
  fields: Partial<AccessAuditPayload> & Pick<AccessAuditPayload, 'outcome'>,
): Record<string, unknown> {
  return entryPayload({
    user: actor.username,
    role: actor.role,
    agency: actor.agency,
    clientAddress: actor.clientAddress ?? null,
    // Acknowledged routes run only after the session accepted the notice in force.
    noticeHash: NOTICE_VERSION,
    ...fields,
  });
}

/** An access payload with every field filled, as the audit log's payload type. */
export function entryPayload(
  fields: Partial<AccessAuditPayload> & Pick<AccessAuditPayload, 'user' | 'outcome'>,
): Record<string, unknown> {
  return { ...accessPayload(fields) };
}

/** A refusal naming every problem (422). */
export const refused = (code: string, message: string, problems: AccessProblem[]) =>
  unprocessable(code, message, { problems });

export const toMs = (d: Date | null | undefined) => (d ? d.getTime() : null);
