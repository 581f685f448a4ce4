// Schema migration 2: the store refuses, whatever the caller does, what issue 10 showed it accepted:
// rows replaced behind the append-only triggers (REPLACE deletes without firing delete triggers while
// recursive_triggers is off), hold links removed, active holds edited, holds created or released without
// their audit event, non-normalised or self-approving identities, non-canonical audit payloads, reads
// stored under a superseded verdict, and camera holds chained to switch retention off for a camera.
// Frozen once released: a change is a new migration.
import type { Migration } from './migrations.js';

// What SQLite can tell of a normalised identity (shared/policy/identity.ts does the rest: NFKC, full
// case folding, mixed scripts): trimmed, no ASCII upper case, no doubled space, 1-128 characters, and
// none of the control, invisible, non-ASCII space or fullwidth characters that normalisation removes.
const INVISIBLE_OR_UNFOLDED = [
  [0x01, 0x1f],
  [0x7f, 0xa0],
  [0xad],
  [0x34f],
  [0x61c],
  [0x115f, 0x1160],
  [0x1680],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x2000, 0x200f],
  [0x2028, 0x202f],
  [0x205f, 0x206f],
  [0x3000],
  [0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff],
  [0xff01, 0xff5e],
  [0xffa0],
  [0xfff0, 0xfffb],
  [0xe0000, 0xe007f],
  [0xe0100, 0xe01ef],
]
  .map(([a, b]) => (b === undefined ? `char(${a})` : `char(${a}) || '-' || char(${b})`))
  .join(' || ');
const normalised = (x: string) =>
  `(${x} = trim(${x}) AND ${x} = lower(${x}) AND length(${x}) BETWEEN 1 AND 128 AND ${x} NOT LIKE '%  %'
    AND ${x} NOT GLOB ('*[' || ${INVISIBLE_OR_UNFOLDED} || ']*'))`;

// The newest audit row: a hold is created, linked and released only right after its own audit event, in
// the same transaction (shared/holds/hold.service.ts appends the event first).
const LAST_AUDIT = '(SELECT kind, at, payload FROM audit_events ORDER BY seq DESC LIMIT 1)';

// 72 h in ms: the policy maximum of plate-less camera holds per camera (POLICY_MAX_CAMERA_HOLD_HOURS).
const MAX_CAMERA_HOLD_MS = 72 * 3_600_000;
const platelessCamera = (scope: string) =>
  `(json_extract(${scope}, '$.kind') = 'camera' AND json_type(${scope}, '$.plate') IS NULL)`;
const sameCameraActive = `h.released_at IS NULL AND ${platelessCamera('h.scope')}
      AND json_extract(h.scope, '$.cameraId') = json_extract(NEW.scope, '$.cameraId')`;
const span = (scope: string) => `(json_extract(${scope}, '$.to') - json_extract(${scope}, '$.from'))`;

export const MIGRATION_2: Migration = {
  version: 2,
  description:
    'no replace/delete/unlink of audit, holds, links; audited hold changes; identities; latest verdict',
  sql: `
    -- Reads: stored under the camera's LATEST verdict, and only if that verdict is compliant (a caller
    -- holding an older compliant verdict id cannot store after the camera turned non-compliant).
    DROP TRIGGER reads_require_compliant_verdict;
    CREATE TRIGGER reads_require_compliant_verdict BEFORE INSERT ON reads
    WHEN NOT EXISTS (
      SELECT 1 FROM compliance_verdicts v
      WHERE v.id = NEW.verdict_id AND v.compliant = 1 AND v.camera_id = NEW.camera_id
        AND v.id = (SELECT max(id) FROM compliance_verdicts WHERE camera_id = NEW.camera_id)
    )
    BEGIN
      SELECT RAISE(ABORT, 'read refused: no compliant verdict for this camera (its latest verdict must be compliant)');
    END;
    -- Every conflict-resolving form (INSERT OR REPLACE, REPLACE, UPSERT, OR IGNORE) is stopped the same
    -- way on every guarded table: a BEFORE INSERT trigger refuses a key that exists, so the conflict
    -- clause never runs (REPLACE would delete the old row without firing delete triggers).
    CREATE TRIGGER reads_no_replace BEFORE INSERT ON reads
    WHEN EXISTS (SELECT 1 FROM reads WHERE id = NEW.id)
    BEGIN
      SELECT RAISE(ABORT, 'reads are never replaced');
    END;
    -- What a read says is evidence: never edited (crop_path, and columns later migrations add, may be).
    CREATE TRIGGER reads_no_edit BEFORE UPDATE OF id, camera_id, plate, raw_text, confidence, char_confidences,
      captured_at, box_x, box_y, box_w, box_h, model_id, verdict_id, evidence, stored_at ON reads
    BEGIN
      SELECT RAISE(ABORT, 'a stored read cannot be edited');
    END;

    -- Audit chain: a row can only extend the chain (next seq, linked to the last hash), which also rules
    -- out every REPLACE form (seq and hash are always new), and its payload must be canonical JSON as far
    -- as SQLite can tell; the code (shared/canonical-json.ts) checks the rest before hashing.
    CREATE TRIGGER audit_events_guard_insert BEFORE INSERT ON audit_events
    BEGIN
      SELECT CASE
        WHEN NEW.seq IS NOT coalesce((SELECT max(seq) FROM audit_events), 0) + 1
          OR NEW.prev_hash IS NOT coalesce((SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1), '${'0'.repeat(64)}')
          OR EXISTS (SELECT 1 FROM audit_events WHERE hash = NEW.hash)
          OR length(NEW.hash) IS NOT 64 OR NEW.hash GLOB '*[^0-9a-f]*'
        THEN RAISE(ABORT, 'audit_events is append-only: a row must extend the chain (next seq, prev_hash = last hash)')
        WHEN NOT json_valid(NEW.payload) OR json_type(NEW.payload) IS NOT 'object'
          OR json(NEW.payload) IS NOT NEW.payload
          OR EXISTS (SELECT 1 FROM json_tree(NEW.payload) t WHERE typeof(t.key) = 'text'
                     GROUP BY t.parent, t.key HAVING count(*) > 1)
          OR EXISTS (SELECT 1 FROM (SELECT t.key AS k, lag(t.key) OVER (PARTITION BY t.parent ORDER BY t.id) AS prev
                                    FROM json_tree(NEW.payload) t WHERE typeof(t.key) = 'text') x
                     WHERE x.prev IS NOT NULL AND x.k < x.prev
                       AND x.k NOT GLOB '*[^ -~]*' AND x.prev NOT GLOB '*[^ -~]*')
        THEN RAISE(ABORT, 'audit payload is not canonical JSON (RFC 8785): refused')
      END;
    END;

    -- Holds: checked in this order (one trigger, so the first problem is the one reported): never
    -- replaced; normalised identities; created active, right after their own hold.created event; camera
    -- holds without a plate within the policy's 72 h per camera, never overlapping or adjoining.
    CREATE TRIGGER holds_guard_insert BEFORE INSERT ON holds
    BEGIN
      SELECT CASE
        WHEN EXISTS (SELECT 1 FROM holds WHERE id = NEW.id)
        THEN RAISE(ABORT, 'holds are never replaced')
        WHEN NOT (${normalised('NEW.requested_by')} AND ${normalised('NEW.approved_by')})
        THEN RAISE(ABORT, 'hold identities must be normalised (trimmed, case folded, no invisible characters)')
        WHEN NEW.released_at IS NOT NULL OR NOT json_valid(NEW.scope)
          OR json_extract(NEW.scope, '$.kind') NOT IN ('reads', 'camera')
          OR NOT EXISTS (
            SELECT 1 FROM ${LAST_AUDIT} a
            WHERE a.kind = 'hold.created' AND a.at = NEW.created_at
              AND json_extract(a.payload, '$.holdId') = NEW.id
              AND json_extract(a.payload, '$.caseNumber') = NEW.case_number
              AND json_extract(a.payload, '$.crimeType') = NEW.crime_type
              AND json_extract(a.payload, '$.reason') = NEW.reason
              AND json_extract(a.payload, '$.requestedBy') = NEW.requested_by
              AND json_extract(a.payload, '$.approvedBy') = NEW.approved_by)
        THEN RAISE(ABORT, 'a hold is created only, active, right after its hold.created audit event')
        WHEN ${platelessCamera('NEW.scope')} AND (
          ${span('NEW.scope')} > ${MAX_CAMERA_HOLD_MS}
          OR EXISTS (SELECT 1 FROM holds h WHERE ${sameCameraActive}
            AND json_extract(h.scope, '$.from') <= json_extract(NEW.scope, '$.to')
            AND json_extract(NEW.scope, '$.from') <= json_extract(h.scope, '$.to'))
          OR coalesce((SELECT sum(${span('h.scope')}) FROM holds h WHERE ${sameCameraActive}), 0)
            + ${span('NEW.scope')} > ${MAX_CAMERA_HOLD_MS})
        THEN RAISE(ABORT, 'camera holds without a plate may not overlap, adjoin or together exceed 72 h of one camera')
      END;
    END;
    -- An active hold changes once: its release (who, when, why), right after its hold.released event.
    -- (A released hold cannot change at all: holds_release_once, migration 1.)
    CREATE TRIGGER holds_guard_update BEFORE UPDATE ON holds
    WHEN OLD.released_at IS NULL
    BEGIN
      SELECT CASE
        WHEN NEW.id IS NOT OLD.id OR NEW.case_number IS NOT OLD.case_number
          OR NEW.crime_type IS NOT OLD.crime_type OR NEW.reason IS NOT OLD.reason
          OR NEW.requested_by IS NOT OLD.requested_by OR NEW.approved_by IS NOT OLD.approved_by
          OR NEW.scope IS NOT OLD.scope OR NEW.created_at IS NOT OLD.created_at
          OR NEW.review_by IS NOT OLD.review_by
          OR NEW.released_at IS NULL OR NEW.released_by IS NULL OR NEW.release_reason IS NULL
          OR length(trim(NEW.release_reason)) = 0
        THEN RAISE(ABORT, 'an active hold cannot be edited, only released (who, when and why)')
        WHEN NOT (${normalised('NEW.released_by')} AND EXISTS (
          SELECT 1 FROM ${LAST_AUDIT} a
          WHERE a.kind = 'hold.released' AND a.at = NEW.released_at
            AND json_extract(a.payload, '$.holdId') = OLD.id
            AND json_extract(a.payload, '$.releasedBy') = NEW.released_by
            AND json_extract(a.payload, '$.reason') = NEW.release_reason))
        THEN RAISE(ABORT, 'a hold is released only right after its hold.released audit event')
      END;
    END;

    -- Hold links: made only while their hold is being created, never replaced or edited, and never
    -- removed while the hold is active (so its reads cannot be unlinked, then deleted).
    CREATE TRIGGER hold_reads_guard_insert BEFORE INSERT ON hold_reads
    BEGIN
      SELECT CASE
        WHEN EXISTS (SELECT 1 FROM hold_reads WHERE hold_id = NEW.hold_id AND read_id = NEW.read_id)
        THEN RAISE(ABORT, 'a hold link is never replaced')
        WHEN NOT EXISTS (SELECT 1 FROM holds h WHERE h.id = NEW.hold_id AND h.released_at IS NULL)
          OR NOT EXISTS (SELECT 1 FROM ${LAST_AUDIT} a
                         WHERE a.kind = 'hold.created' AND json_extract(a.payload, '$.holdId') = NEW.hold_id)
        THEN RAISE(ABORT, 'reads are linked to a hold only while the hold is being created')
      END;
    END;
    CREATE TRIGGER hold_reads_keep_while_active BEFORE DELETE ON hold_reads
    WHEN EXISTS (SELECT 1 FROM holds h WHERE h.id = OLD.hold_id AND h.released_at IS NULL)
    BEGIN
      SELECT RAISE(ABORT, 'a read stays linked to its hold while the hold is active');
    END;
    CREATE TRIGGER hold_reads_no_update BEFORE UPDATE ON hold_reads
    BEGIN
      SELECT RAISE(ABORT, 'hold links are never edited');
    END;
  `,
};
