// Importing (refreshing) one agency's hotlist from one source, and expiring entries (RET-09, HIT-04,
// HIT-05). The whole file is checked first with the pure rules (shared/access/hotlist.ts): a source that
// is not allowlisted or is an immigration list refuses the file; each entry whose reason screens as a
// prohibited purpose, or is otherwise invalid, is refused with its line number and reason. The good
// entries replace the list in one transaction (entries no longer on it stop matching), its refreshed_at
// moves to now, and the import is one audit entry in that transaction.
import { checkHotlistSource, type HotlistRules, validateHotlistEntry } from '../../shared/access/hotlist.js';
import type { CompiledLexicon } from '../../shared/access/lexicon.js';
import { DEFAULT_COMPILED_LEXICON } from '../../shared/access/lexicon-default.js';
import { DAY_MS } from '../../shared/access/problems.js';
import { AccessAuditKind } from '../../shared/audit/access-audit.js';
import type { HubAuditLog } from '../audit/hub-audit-log.js';
import type { HubSql } from '../db/hub-db.js';
import type { HotlistCsvRow } from './hotlist-csv.js';
import { type HotlistKey, hotlistPayload } from './hotlist-key.js';

export interface LineRefusal {
  line: number;
  field: string;
  code: string;
  message: string;
}

export interface ImportActor {
  user: string;
  role: string | null;
  userId: number | null;
}

export type ImportResult =
  | {
      ok: true;
      hotlistId: number;
      source: string;
      imported: number;
      removed: number;
      refused: LineRefusal[];
      refreshedAt: number;
    }
  | {
      ok: false;
      code: 'source_refused' | 'no_agency' | 'nothing_valid';
      message: string;
      refused: LineRefusal[];
    };

export interface HotlistServices {
  audit: HubAuditLog;
  key: HotlistKey;
  rules: HotlistRules;
  lexicon?: CompiledLexicon;
}

/** Check a source for a list: a valid id, never immigration (HIT-05), and on the allowlist. */
export function checkListSource(
  source: string,
  rules: HotlistRules,
): { ok: true } | { ok: false; message: string } {
  const checked = checkHotlistSource(source);
  if (!checked.ok) return { ok: false, message: checked.problems[0]!.message };
  if (!rules.sources.includes(source)) {
    return {
      ok: false,
      message: `"${source}" is not an allowlisted hotlist source (access.hotlist.sources: ${rules.sources.join(', ')})`,
    };
  }
  return { ok: true };
}

/** Import `rows` as agency `ori`'s list from `source` at `now`. */
export async function importHotlist(
  tx: HubSql,
  s: HotlistServices,
  input: { ori: string; source: string; rows: HotlistCsvRow[]; actor: ImportActor },
  now: number,
): Promise<ImportResult> {
  const { source, rows, actor } = input;
  const lexicon = s.lexicon ?? DEFAULT_COMPILED_LEXICON;
  const [agency] = await tx.query<{ id: number; ori: string }>(
    'SELECT id, ori FROM agencies WHERE ori = $1',
    [input.ori.trim().toUpperCase()],
  );
  if (!agency)
    return { ok: false, code: 'no_agency', message: `no agency with ORI ${input.ori}`, refused: [] };
  const listCheck = checkListSource(source, s.rules);
  const refused: LineRefusal[] = [];
  const good = new Map<string, { plate: string; reason: string; caseNumber: string; expiresAt: number }>();
  if (listCheck.ok) {
    for (const row of rows) {
      const entry = validateHotlistEntry(
        {
          plate: row.plate,
          reason: row.reason,
          caseNumber: row.caseNumber,
          source: row.source === '' ? source : row.source,
          // no expiry given: the longest allowed (access.hotlist.maxEntryDays, 30 days by default)
          expiresAt: row.expiry === '' ? now + s.rules.maxEntryDays * DAY_MS : row.expiry,
        },
        now,
        s.rules,
        lexicon,
      );
      if (!entry.ok) {
        for (const p of entry.problems) refused.push({ line: row.line, ...p, code: p.code ?? 'invalid' });
        continue;
      }
      if (entry.value.source !== source) {
        refused.push({
          line: row.line,
          field: 'source',
          code: 'other_source',
          message: `the line names source "${entry.value.source}", the list being imported is "${source}"`,
        });
        continue;
      }
      good.set(s.key.match(entry.value.plate), entry.value); // a plate listed twice: the last line wins
    }
  }
  if (!listCheck.ok || good.size === 0) {
    // A refused source or a file with nothing usable changes nothing, but the attempt is audited.
    const code = !listCheck.ok ? 'source_refused' : 'nothing_valid';
    const message = !listCheck.ok
      ? listCheck.message
      : 'no entry of the file is valid; the list is unchanged';
    await s.audit.append(
      tx,
      {
        kind: AccessAuditKind.hotlistImported,
        actor: actor.user,
        payload: hotlistPayload({
          user: actor.user,
          role: actor.role,
          agency: agency.ori,
          outcome: 'refused',
          category: code,
          lexiconVersion: lexicon.version,
          detail: { source, lines: rows.length, refused: refused.length, refusals: summarise(refused) },
        }),
      },
      now,
    );
    return { ok: false, code, message, refused };
  }
  const at = new Date(now);
  const [list] = await tx.query<{ id: number }>(
    `INSERT INTO hotlists (agency_id, source, allowlisted, imported_by, imported_at, refreshed_at)
     VALUES ($1, $2, true, $3, $4, $4)
     ON CONFLICT (agency_id, source) DO UPDATE SET imported_by = $3, refreshed_at = $4, allowlisted = true
     RETURNING id`,
    [agency.id, source, actor.user, at],
  );
  const hotlistId = list!.id;
  const keys = [...good.keys()];
  const values = [...good.values()];
  await tx.query(
    `INSERT INTO hotlist_entries (hotlist_id, agency_id, plate_hmac, plate_sealed, reason, case_number,
                                  expires_at, created_at, updated_at)
     SELECT $1, $2, t.k, t.sealed, t.reason, t.case_number, t.expires_at, $3, $3
       FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
         AS t(k, sealed, reason, case_number, expires_at)
     ON CONFLICT (hotlist_id, plate_hmac) DO UPDATE
       SET plate_sealed = EXCLUDED.plate_sealed, reason = EXCLUDED.reason, case_number = EXCLUDED.case_number, expires_at = EXCLUDED.expires_at,
           updated_at = EXCLUDED.updated_at, expired_at = NULL`,
    [
      hotlistId,
      agency.id,
      at,
      keys,
      values.map((v, i) => s.key.seal(v.plate, `${agency.id}:${source}:${keys[i]}`)),
      values.map((v) => v.reason),
      values.map((v) => v.caseNumber),
      values.map((v) => new Date(v.expiresAt)),
    ],
  );
  // A refresh replaces the list: what the source no longer lists stops matching now.
  const removed = await tx.query<{ id: number }>(
    `UPDATE hotlist_entries SET expired_at = $2, updated_at = $2
      WHERE hotlist_id = $1 AND expired_at IS NULL AND NOT (plate_hmac = ANY($3::text[])) RETURNING id`,
    [hotlistId, at, keys],
  );
  await s.audit.append(
    tx,
    {
      kind: AccessAuditKind.hotlistImported,
      actor: actor.user,
      payload: hotlistPayload({
        user: actor.user,
        role: actor.role,
        agency: agency.ori,
        outcome: 'ok',
        lexiconVersion: lexicon.version,
        detail: {
          hotlistId,
          source,
          lines: rows.length,
          imported: good.size,
          removed: removed.length,
          refused: refused.length,
          refusals: summarise(refused),
        },
      }),
    },
    now,
  );
  return {
    ok: true,
    hotlistId,
    source,
    imported: good.size,
    removed: removed.length,
    refused,
    refreshedAt: now,
  };
}

// The audit keeps which lines were refused and why (code only: a refused reason may itself be the
// prohibited text, and the line number finds it in the file).
function summarise(refused: LineRefusal[]): { line: number; field: string; code: string }[] {
  return refused.slice(0, 200).map((r) => ({ line: r.line, field: r.field, code: r.code }));
}

/** Expire one entry by hand (a person with hotlists.manage); audited as hotlist.changed. */
export async function expireEntry(
  tx: HubSql,
  audit: HubAuditLog,
  input: { entryId: number; agencyId: number; agencyOri: string; actor: ImportActor; note: string | null },
  now: number,
): Promise<'expired' | 'not_found' | 'already_expired'> {
  const [row] = await tx.query<{ id: number; expired_at: Date | null; hotlist_id: number }>(
    'SELECT id, expired_at, hotlist_id FROM hotlist_entries WHERE id = $1 AND agency_id = $2 FOR UPDATE',
    [input.entryId, input.agencyId],
  );
  if (!row) return 'not_found';
  if (row.expired_at !== null) return 'already_expired';
  await tx.query('UPDATE hotlist_entries SET expired_at = $2, updated_at = $2 WHERE id = $1', [
    row.id,
    new Date(now),
  ]);
  await audit.append(
    tx,
    {
      kind: AccessAuditKind.hotlistChanged,
      actor: input.actor.user,
      payload: hotlistPayload({
        user: input.actor.user,
        role: input.actor.role,
        agency: input.agencyOri,
        outcome: 'ok',
        detail: { action: 'expired', entryId: row.id, hotlistId: row.hotlist_id, note: input.note },
      }),
    },
    now,
  );
  return 'expired';
}

/** Entries whose expiry has passed stop matching (the query already ignores them); record it, audited. */
export async function expireDueEntries(tx: HubSql, audit: HubAuditLog, now: number): Promise<number> {
  const rows = await tx.query<{ id: number; hotlist_id: number; ori: string }>(
    `UPDATE hotlist_entries e SET expired_at = e.expires_at, updated_at = $1
       FROM agencies a
      WHERE e.expired_at IS NULL AND e.expires_at <= $1 AND a.id = e.agency_id
      RETURNING e.id, e.hotlist_id, a.ori`,
    [new Date(now)],
  );
  const byList = new Map<number, { ori: string; ids: number[] }>();
  for (const r of rows) {
    const list = byList.get(r.hotlist_id) ?? { ori: r.ori, ids: [] };
    list.ids.push(r.id);
    byList.set(r.hotlist_id, list);
  }
  await audit.append(
    tx,
    [...byList].map(([hotlistId, list]) => ({
      kind: AccessAuditKind.hotlistChanged,
      actor: 'system:hotlist-expiry',
      payload: hotlistPayload({
        user: 'system:hotlist-expiry',
        agency: list.ori,
        outcome: 'ok',
        detail: {
          action: 'expired_by_date',
          hotlistId,
          entryIds: list.ids.slice(0, 500),
          count: list.ids.length,
        },
      }),
    })),
    now,
  );
  return rows.length;
}
