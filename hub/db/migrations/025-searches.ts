// Hub schema version 25: governed searches (Q-01..09). Every search attempt is a row, allowed or not, with
// the terms, purpose and outcome the audit entry also carries; the command decisions on searches that touch
// a sensitive site; hold requests waiting for a second person; compliance alerts the quarterly report
// counts. No foreign key to the users table on purpose: a search row must outlive any account change (the
// username is copied, as the audit chain copies it).
export const SEARCHES_SCHEMA = `
CREATE TABLE searches (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id          bigint NOT NULL,
  username         text NOT NULL CHECK (length(btrim(username)) BETWEEN 1 AND 200),
  agency_id        bigint NOT NULL REFERENCES agencies (id),
  -- the plate as normalised (exact) or the folded pattern (partial); null when the request had no valid plate
  plate_pattern    text CHECK (plate_pattern ~ '^[A-Z0-9?*]{1,16}$'),
  plate_mode       text CHECK (plate_mode IN ('exact', 'folded', 'partial')),
  -- Q-08: partial-plate searches are flagged for the audit and the anomaly metrics
  partial_flag     boolean NOT NULL DEFAULT false,
  from_at          timestamptz,
  to_at            timestamptz,
  cameras          jsonb,
  area             jsonb,
  crime_type       text,
  case_number      text CHECK (length(case_number) <= 2000),
  justification    text CHECK (length(justification) <= 4000),
  outcome          text NOT NULL CHECK (outcome IN ('allowed', 'refused', 'blocked', 'pending', 'denied')),
  -- the blocked category (prohibited purpose) or the first refusal code
  category         text,
  lexicon_version  text NOT NULL,
  notice_hash      text,
  sensitive_state  text NOT NULL DEFAULT 'not_needed'
                   CHECK (sensitive_state IN ('not_needed', 'pending', 'approved', 'denied')),
  sensitive_sites  jsonb,
  client_address   text,
  created_at       timestamptz NOT NULL,
  -- only an allowed search has everything a query needs
  CONSTRAINT searches_allowed_complete CHECK (outcome NOT IN ('allowed', 'pending') OR (
    plate_pattern IS NOT NULL AND plate_mode IS NOT NULL AND from_at IS NOT NULL AND to_at IS NOT NULL
    AND crime_type IS NOT NULL AND case_number IS NOT NULL AND justification IS NOT NULL)),
  CONSTRAINT searches_partial_flagged CHECK ((plate_mode = 'partial') = partial_flag OR plate_mode IS NULL),
  CONSTRAINT searches_pending_is_sensitive CHECK ((outcome = 'pending') = (sensitive_state = 'pending'))
);
CREATE INDEX searches_user ON searches (user_id, id DESC);
CREATE INDEX searches_agency_time ON searches (agency_id, created_at);

-- A search row changes once at most: a pending one is approved (becomes allowed) or denied by a command user.
CREATE FUNCTION searches_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' OR TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION 'searches are kept for the audit; they are never deleted' USING ERRCODE = 'P0001', HINT = 'search_delete';
  END IF;
  IF OLD.outcome <> 'pending'
     OR NOT ((NEW.outcome = 'allowed' AND NEW.sensitive_state = 'approved')
             OR (NEW.outcome = 'denied' AND NEW.sensitive_state = 'denied'))
     OR (to_jsonb(NEW) - ARRAY['outcome', 'sensitive_state']) IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['outcome', 'sensitive_state']) THEN
    RAISE EXCEPTION 'search % can only change from pending to approved or denied', OLD.id
      USING ERRCODE = 'P0001', HINT = 'search_edit';
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER searches_guard BEFORE UPDATE OR DELETE ON searches FOR EACH ROW EXECUTE FUNCTION searches_guard();
CREATE TRIGGER searches_no_truncate BEFORE TRUNCATE ON searches FOR EACH STATEMENT EXECUTE FUNCTION searches_guard();

-- Q-06: the command decision on a search that touches a sensitive site; one per search.
CREATE TABLE search_approvals (
  search_id     bigint PRIMARY KEY REFERENCES searches (id),
  decided_by_id bigint NOT NULL,
  decided_by    text NOT NULL CHECK (length(btrim(decided_by)) BETWEEN 1 AND 200),
  approve       boolean NOT NULL,
  reason        text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 2000),
  decided_at    timestamptz NOT NULL
);

-- Compliance alerts (blocked searches, and later drift, failed reports): counted by the quarterly report.
CREATE TABLE compliance_alerts (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind       text NOT NULL CHECK (kind ~ '^[a-z][a-z_.]{1,63}$'),
  agency_id  bigint REFERENCES agencies (id),
  user_id    bigint,
  username   text,
  search_id  bigint REFERENCES searches (id),
  category   text,
  detail     jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL
);
CREATE INDEX compliance_alerts_time ON compliance_alerts (created_at, kind);

-- A hold asked for from a search: pending until a person other than the requester with hold.approve
-- decides; approval creates the hold (holds, migration 10) in the same transaction.
CREATE TABLE hold_requests (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  search_id       bigint NOT NULL REFERENCES searches (id),
  agency_id       bigint NOT NULL REFERENCES agencies (id),
  requested_by_id bigint NOT NULL,
  requested_by    text NOT NULL CHECK (length(btrim(requested_by)) BETWEEN 1 AND 200),
  case_number     text NOT NULL,
  crime_type      text NOT NULL,
  reason          text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 2000),
  edge_id         text NOT NULL REFERENCES edges (id),
  read_ids        jsonb NOT NULL CHECK (jsonb_typeof(read_ids) = 'array' AND jsonb_array_length(read_ids) > 0),
  state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'denied')),
  decided_by_id   bigint,
  decided_by      text,
  decided_at      timestamptz,
  hold_id         bigint REFERENCES holds (id),
  created_at      timestamptz NOT NULL,
  CONSTRAINT hold_requests_decision CHECK ((state = 'pending') = (decided_at IS NULL)
    AND (state = 'approved') = (hold_id IS NOT NULL)),
  CONSTRAINT hold_requests_other_person CHECK (decided_by_id IS NULL OR decided_by_id <> requested_by_id)
);
CREATE INDEX hold_requests_agency ON hold_requests (agency_id, id DESC);

-- A hold approved through the API is audited as hold.approved (the access audit, AUD-01) rather than
-- hold.created (the CLI); either entry satisfies the check that no hold exists unaudited.
CREATE INDEX audit_events_hold_approved ON audit_events ((payload::jsonb -> 'detail' ->> 'holdId'))
  WHERE kind = 'hold.approved';
CREATE OR REPLACE FUNCTION holds_audited() RETURNS trigger LANGUAGE plpgsql AS $fn$
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
  ) AND NOT (TG_OP = 'INSERT' AND EXISTS (
    SELECT 1 FROM audit_events
     WHERE kind = 'hold.approved' AND payload::jsonb -> 'detail' ->> 'holdId' = NEW.id::text
  )) THEN
    RAISE EXCEPTION 'hold % has no % audit entry in its transaction', NEW.id, wanted
      USING ERRCODE = 'P0001', HINT = 'hold_unaudited';
  END IF;
  RETURN NULL;
END
$fn$;
`;
