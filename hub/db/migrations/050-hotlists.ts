// Hub schema version 50: hotlists, their entries, and the hits that matched them (RET-09, HIT-01..05,
// MIN-02). The match column holds only HMAC-SHA-256 of the folded plate under a key outside the database
// (hub/hotlists/hotlist-key.ts); the plate itself is kept only sealed, for the verification form. The
// table refuses what the code refuses: a list from a source not allowlisted at import, a hit that leaves
// "unverified" without a named person, a confirmation without a disposition, a final hit changing again.
export const HOTLISTS_SCHEMA = `
CREATE TABLE hotlists (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  agency_id    bigint NOT NULL REFERENCES agencies (id),
  source       text NOT NULL CHECK (source ~ '^[a-z][a-z0-9_]{1,63}$'),
  -- recorded true at import (the source was in access.hotlist.sources); a list can never exist otherwise
  allowlisted  boolean NOT NULL CHECK (allowlisted),
  imported_by  text NOT NULL CHECK (length(btrim(imported_by)) > 0),
  imported_at  timestamptz NOT NULL,
  refreshed_at timestamptz NOT NULL,
  UNIQUE (agency_id, source)
);

CREATE TABLE hotlist_entries (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  hotlist_id   bigint NOT NULL REFERENCES hotlists (id),
  agency_id    bigint NOT NULL REFERENCES agencies (id),
  plate_hmac   text NOT NULL CHECK (plate_hmac ~ '^[0-9a-f]{64}$'),
  plate_sealed text NOT NULL CHECK (plate_sealed LIKE 'v1.%'),
  reason       text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 500),
  case_number  text NOT NULL CHECK (length(btrim(case_number)) BETWEEN 1 AND 64),
  expires_at   timestamptz NOT NULL,
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL,
  -- set when the entry stops matching: its expiry passed, it left the list on refresh, or a person expired it
  expired_at   timestamptz,
  CHECK (expires_at > created_at),
  UNIQUE (hotlist_id, plate_hmac)
);
CREATE INDEX hotlist_entries_match ON hotlist_entries (plate_hmac, agency_id) WHERE expired_at IS NULL;
CREATE INDEX hotlist_entries_expiry ON hotlist_entries (expires_at) WHERE expired_at IS NULL;

CREATE TABLE hits (
  id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  agency_id             bigint NOT NULL REFERENCES agencies (id),
  entry_id              bigint NOT NULL REFERENCES hotlist_entries (id),
  hotlist_id            bigint NOT NULL REFERENCES hotlists (id),
  edge_id               text NOT NULL REFERENCES edges (id),
  edge_read_id          bigint NOT NULL,
  camera_id             text NOT NULL,
  captured_at           timestamptz NOT NULL,
  created_at            timestamptz NOT NULL,
  list_refreshed_at     timestamptz,
  stale                 boolean NOT NULL,
  state                 text NOT NULL DEFAULT 'unverified' CHECK (state IN ('unverified', 'confirmed', 'rejected')),
  verified_by_user_id   bigint,
  verified_by           text,
  verified_at           timestamptz,
  currency_checked_at   timestamptz,
  currency_checked_with text,
  disposition           text CHECK (disposition IN ('arrest', 'vehicle_recovered', 'stop_no_action',
                          'contact_no_action', 'unable_to_locate', 'referred_to_investigator')),
  rejection_reason      text CHECK (rejection_reason IN ('misread', 'not_current', 'wrong_state', 'other')),
  note                  text CHECK (length(note) <= 1000),
  waiting_notified_at   timestamptz,
  UNIQUE (entry_id, edge_id, edge_read_id),
  CHECK (state <> 'unverified' OR (verified_at IS NULL AND verified_by IS NULL AND disposition IS NULL
                                   AND rejection_reason IS NULL)),
  CHECK (state = 'unverified' OR (verified_at IS NOT NULL AND length(btrim(verified_by)) > 0)),
  CHECK (state <> 'confirmed' OR (disposition IS NOT NULL AND currency_checked_at IS NOT NULL
                                  AND length(btrim(currency_checked_with)) > 0 AND rejection_reason IS NULL)),
  CHECK (state <> 'rejected' OR (rejection_reason IS NOT NULL AND disposition IS NULL))
);
CREATE INDEX hits_agency_state ON hits (agency_id, state, created_at);

-- HIT-01: a decision is final; only an unverified hit may change, and a hit is never deleted.
CREATE FUNCTION hits_decide_once() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'hits are never deleted' USING ERRCODE = 'P0001', HINT = 'hit_final';
  END IF;
  IF OLD.state <> 'unverified' AND (NEW.state, NEW.verified_by, NEW.verified_at, NEW.disposition,
       NEW.rejection_reason, NEW.note) IS DISTINCT FROM (OLD.state, OLD.verified_by, OLD.verified_at,
       OLD.disposition, OLD.rejection_reason, OLD.note) THEN
    RAISE EXCEPTION 'hit % is already %', OLD.id, OLD.state USING ERRCODE = 'P0001', HINT = 'hit_final';
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER hits_decide_once BEFORE UPDATE OR DELETE ON hits
  FOR EACH ROW EXECUTE FUNCTION hits_decide_once();
`;
