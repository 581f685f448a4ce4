// Hub schema version 10: evidentiary holds, the evidence table that keeps held reads once their day is
// dropped, and the lease that lets one hub process at a time run retention. The database itself refuses
// what must never happen, whatever the code above does: deleting or dropping a read an active hold
// pins, deleting a hold or its links, editing a hold except by releasing it, and a hold or a release
// without its audit entry in the same transaction.
export const HOLDS_EVIDENCE_SCHEMA = `
CREATE TABLE holds (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  edge_id        text NOT NULL REFERENCES edges (id),
  case_number    text NOT NULL CHECK (length(btrim(case_number)) BETWEEN 1 AND 2000),
  crime_type     text NOT NULL CHECK (length(btrim(crime_type)) BETWEEN 1 AND 2000),
  reason         text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 2000),
  requested_by   text NOT NULL CHECK (length(btrim(requested_by)) BETWEEN 1 AND 200),
  approved_by    text NOT NULL CHECK (length(btrim(approved_by)) BETWEEN 1 AND 200),
  scope          jsonb NOT NULL CHECK (scope->>'kind' IN ('reads', 'camera')),
  created_at     timestamptz NOT NULL,
  review_by      timestamptz,
  released_at    timestamptz,
  released_by    text CHECK (length(btrim(released_by)) BETWEEN 1 AND 200),
  release_reason text CHECK (length(btrim(release_reason)) BETWEEN 1 AND 2000),
  CONSTRAINT holds_approver_is_another_person CHECK (lower(btrim(approved_by)) <> lower(btrim(requested_by))),
  CONSTRAINT holds_review_after_creation CHECK (review_by IS NULL OR review_by > created_at),
  CONSTRAINT holds_release_complete
    CHECK ((released_at IS NULL) = (released_by IS NULL) AND (released_at IS NULL) = (release_reason IS NULL)),
  CONSTRAINT holds_release_after_creation CHECK (released_at IS NULL OR released_at >= created_at)
);
CREATE INDEX holds_active ON holds (id) WHERE released_at IS NULL;

-- Held reads whose day partition was dropped: the same columns as reads, copied in the drop's transaction.
CREATE TABLE evidence_reads (
  LIKE reads INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
  moved_at timestamptz NOT NULL,
  PRIMARY KEY (edge_id, edge_read_id),
  FOREIGN KEY (verdict_id) REFERENCES camera_verdicts (id)
);

-- What each hold covers, kept for good. While its hold is active a link pins its read in exactly one
-- place: live_at (= captured_at) while the read is in its day partition, evidence_read_id (= edge_read_id)
-- once it was copied to evidence_reads; a release unpins (both NULL). The pins are foreign keys, so the
-- database refuses DELETE, TRUNCATE, DETACH PARTITION and DROP TABLE of a pinned read, and a concurrent
-- drop and hold serialise on the referenced row instead of racing.
CREATE TABLE hold_reads (
  hold_id          bigint NOT NULL REFERENCES holds (id),
  edge_id          text NOT NULL,
  edge_read_id     bigint NOT NULL,
  captured_at      timestamptz NOT NULL,
  live_at          timestamptz,
  evidence_read_id bigint,
  PRIMARY KEY (hold_id, edge_id, edge_read_id),
  CONSTRAINT hold_reads_live_is_capture CHECK (live_at IS NULL OR live_at = captured_at),
  CONSTRAINT hold_reads_evidence_is_read CHECK (evidence_read_id IS NULL OR evidence_read_id = edge_read_id),
  CONSTRAINT hold_reads_one_pin CHECK (live_at IS NULL OR evidence_read_id IS NULL),
  CONSTRAINT held_read_in_partition FOREIGN KEY (edge_id, edge_read_id, live_at)
    REFERENCES reads (edge_id, edge_read_id, captured_at) ON UPDATE RESTRICT ON DELETE RESTRICT,
  CONSTRAINT held_read_in_evidence FOREIGN KEY (edge_id, evidence_read_id)
    REFERENCES evidence_reads (edge_id, edge_read_id) ON UPDATE RESTRICT ON DELETE RESTRICT
);
CREATE INDEX hold_reads_live ON hold_reads (edge_id, edge_read_id, live_at) WHERE live_at IS NOT NULL;
CREATE INDEX hold_reads_live_day ON hold_reads (live_at) WHERE live_at IS NOT NULL;
CREATE INDEX hold_reads_evidence ON hold_reads (edge_id, evidence_read_id) WHERE evidence_read_id IS NOT NULL;

CREATE FUNCTION holds_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' OR TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION 'holds are never deleted; release them' USING ERRCODE = 'P0001', HINT = 'hold_delete';
  END IF;
  IF OLD.released_at IS NOT NULL THEN
    RAISE EXCEPTION 'hold % was released and cannot change', OLD.id USING ERRCODE = 'P0001', HINT = 'hold_released';
  END IF;
  IF NEW.released_at IS NULL
     OR (to_jsonb(NEW) - ARRAY['released_at', 'released_by', 'release_reason'])
        IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['released_at', 'released_by', 'release_reason']) THEN
    RAISE EXCEPTION 'an active hold changes only by its release (hold %)', OLD.id
      USING ERRCODE = 'P0001', HINT = 'hold_edit';
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER holds_guard BEFORE UPDATE OR DELETE ON holds FOR EACH ROW EXECUTE FUNCTION holds_guard();
CREATE TRIGGER holds_no_truncate BEFORE TRUNCATE ON holds FOR EACH STATEMENT EXECUTE FUNCTION holds_guard();

CREATE FUNCTION hold_reads_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  h holds%ROWTYPE;
BEGIN
  IF TG_OP = 'DELETE' OR TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION 'the reads of a hold are kept with it; release the hold instead'
      USING ERRCODE = 'P0001', HINT = 'hold_link_delete';
  END IF;
  SELECT * INTO h FROM holds WHERE id = NEW.hold_id;
  IF TG_OP = 'INSERT' THEN
    IF NOT FOUND OR h.released_at IS NOT NULL OR h.edge_id <> NEW.edge_id
       OR (NEW.live_at IS NULL) = (NEW.evidence_read_id IS NULL) THEN
      RAISE EXCEPTION 'a hold link needs an active hold of the same edge and exactly one pin'
        USING ERRCODE = 'P0001', HINT = 'hold_link_insert';
    END IF;
    RETURN NEW;
  END IF;
  IF (NEW.hold_id, NEW.edge_id, NEW.edge_read_id, NEW.captured_at)
     IS DISTINCT FROM (OLD.hold_id, OLD.edge_id, OLD.edge_read_id, OLD.captured_at) THEN
    RAISE EXCEPTION 'a hold link cannot be re-pointed' USING ERRCODE = 'P0001', HINT = 'hold_link_edit';
  END IF;
  -- Moved to evidence while the hold is active; or unpinned once it is released.
  IF h.released_at IS NULL AND OLD.live_at IS NOT NULL AND NEW.live_at IS NULL
     AND NEW.evidence_read_id IS NOT NULL THEN
    RETURN NEW;
  END IF;
  IF h.released_at IS NOT NULL AND NEW.live_at IS NULL AND NEW.evidence_read_id IS NULL THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'the read of an active hold stays pinned (hold %)', OLD.hold_id
    USING ERRCODE = 'P0001', HINT = 'hold_link_edit';
END
$fn$;
CREATE TRIGGER hold_reads_guard BEFORE INSERT OR UPDATE OR DELETE ON hold_reads
  FOR EACH ROW EXECUTE FUNCTION hold_reads_guard();
CREATE TRIGGER hold_reads_no_truncate BEFORE TRUNCATE ON hold_reads
  FOR EACH STATEMENT EXECUTE FUNCTION hold_reads_guard();

-- A held read is evidence: while a hold pins it, it is neither deleted nor changed (the foreign keys
-- above also cover TRUNCATE, DETACH and DROP; this trigger says why in words). Reads in evidence never change.
CREATE FUNCTION held_read_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF (TG_TABLE_NAME = 'evidence_reads' AND (TG_OP = 'UPDATE' OR EXISTS (
        SELECT 1 FROM hold_reads l WHERE l.edge_id = OLD.edge_id AND l.evidence_read_id = OLD.edge_read_id)))
     OR (TG_TABLE_NAME <> 'evidence_reads' AND EXISTS (
        SELECT 1 FROM hold_reads l
         WHERE l.edge_id = OLD.edge_id AND l.edge_read_id = OLD.edge_read_id AND l.live_at = OLD.captured_at)) THEN
    RAISE EXCEPTION 'read %/% is evidence under an active hold: it cannot be deleted or changed',
      OLD.edge_id, OLD.edge_read_id USING ERRCODE = 'P0001', HINT = 'held_read';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER reads_held_guard BEFORE UPDATE OR DELETE ON reads FOR EACH ROW EXECUTE FUNCTION held_read_guard();
CREATE TRIGGER evidence_reads_guard BEFORE UPDATE OR DELETE ON evidence_reads
  FOR EACH ROW EXECUTE FUNCTION held_read_guard();

-- Every hold action is one audit entry in the same transaction: checked at commit, so a hold or a release
-- whose entry is missing rolls back.
CREATE INDEX audit_events_hold_id ON audit_events ((payload::jsonb ->> 'holdId'))
  WHERE kind IN ('hold.created', 'hold.released');
CREATE FUNCTION holds_audited() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  wanted text := CASE WHEN TG_OP = 'INSERT' THEN 'hold.created' ELSE 'hold.released' END;
BEGIN
  IF TG_OP = 'UPDATE' AND NOT (OLD.released_at IS NULL AND NEW.released_at IS NOT NULL) THEN
    RETURN NULL;
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM audit_events
     WHERE kind = wanted AND kind IN ('hold.created', 'hold.released')
       AND payload::jsonb ->> 'holdId' = NEW.id::text
  ) THEN
    RAISE EXCEPTION 'hold % has no % audit entry in its transaction', NEW.id, wanted
      USING ERRCODE = 'P0001', HINT = 'hold_unaudited';
  END IF;
  RETURN NULL;
END
$fn$;
CREATE CONSTRAINT TRIGGER holds_audited AFTER INSERT OR UPDATE ON holds
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION holds_audited();

-- Leases on hub-wide jobs (retention): one holder at a time across hub processes, taken over only once
-- it expired (judged by the database's clock, the one clock every hub process shares).
CREATE TABLE hub_leases (
  name        text PRIMARY KEY,
  owner       text NOT NULL,
  run_id      text NOT NULL,
  acquired_at timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL
);
`;

/**
 * Defence in depth where the migrating role may create event triggers (a superuser, as on PGlite and in
 * the tests): refuse any DDL that would drop the pins with their reads (DROP TABLE reads_p… CASCADE
 * drops the foreign key) or the hold tables. A role that may not create them gets the constraints and
 * triggers above only; run the hub as a role that does not own the tables to close that door too.
 */
export const HOLDS_DDL_GUARD = `
DO $do$
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    CREATE FUNCTION hold_ddl_guard() RETURNS event_trigger LANGUAGE plpgsql AS $fn$
    DECLARE
      o record;
    BEGIN
      FOR o IN SELECT * FROM pg_event_trigger_dropped_objects() LOOP
        IF (o.object_type = 'table' AND o.object_name IN ('holds', 'hold_reads', 'evidence_reads'))
           OR (o.object_type = 'table constraint'
               AND (o.object_identity LIKE 'held\\_read\\_in\\_partition on %'
                    OR o.object_identity LIKE 'held\\_read\\_in\\_evidence on %')) THEN
          RAISE EXCEPTION 'refused: % % protects evidentiary holds', o.object_type, o.object_identity
            USING ERRCODE = 'P0001', HINT = 'hold_ddl';
        END IF;
      END LOOP;
    END
    $fn$;
    CREATE EVENT TRIGGER hold_ddl_guard ON sql_drop EXECUTE FUNCTION hold_ddl_guard();
  END IF;
END
$do$;
`;
