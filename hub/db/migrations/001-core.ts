// Hub schema version 1: agencies, edges, cameras and their verdicts, reads partitioned by capture day,
// and the hub's audit chain. The hardest policy edges are constraints here, whatever the code above does:
// agencies are California law enforcement only (SH-01); a read needs a compliant verdict that was in force
// for its camera when it was captured; the audit chain is append-only and cannot fork.
export const CORE_SCHEMA = `
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE hub_meta (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL
);

-- SH-01: only California state or local law enforcement can exist; federal, out-of-state and private
-- entities are refused by the table itself.
CREATE TABLE agencies (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ori         text NOT NULL UNIQUE CHECK (ori ~ '^CA[0-9A-Z]{7}$'),
  name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  agency_type text NOT NULL CHECK (agency_type IN ('local_le', 'state_le')),
  state       text NOT NULL CHECK (state = 'CA'),
  is_home     boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL
);
-- One home agency: the one whose cameras these are.
CREATE UNIQUE INDEX agencies_single_home ON agencies (is_home) WHERE is_home;

CREATE TABLE edges (
  id          text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  agency_id   bigint NOT NULL REFERENCES agencies (id),
  label       text,
  created_at  timestamptz NOT NULL,
  disabled_at timestamptz
);

CREATE TABLE cameras (
  edge_id       text NOT NULL REFERENCES edges (id),
  camera_id     text NOT NULL CHECK (camera_id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  label         text,
  lng           double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
  lat           double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  bearing_deg   double precision NOT NULL CHECK (bearing_deg >= 0 AND bearing_deg < 360),
  fov_deg       double precision NOT NULL CHECK (fov_deg > 0 AND fov_deg <= 360),
  range_m       double precision NOT NULL CHECK (range_m > 0),
  camera_hash   text NOT NULL,
  config        jsonb NOT NULL,              -- the edge's camera geometry and optics, no URL or credentials
  first_seen_at timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  PRIMARY KEY (edge_id, camera_id)
);

-- Verdict history as the edge evaluated it; edge_verdict_id orders one edge's verdicts.
CREATE TABLE camera_verdicts (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  edge_id          text NOT NULL,
  camera_id        text NOT NULL,
  edge_verdict_id  bigint NOT NULL,
  camera_hash      text NOT NULL,
  registry_version text NOT NULL,
  compliant        boolean NOT NULL,
  violations       jsonb NOT NULL DEFAULT '[]',
  evaluated_at     timestamptz NOT NULL,
  received_at      timestamptz NOT NULL,
  UNIQUE (edge_id, edge_verdict_id),
  FOREIGN KEY (edge_id, camera_id) REFERENCES cameras (edge_id, camera_id)
);
CREATE INDEX camera_verdicts_camera ON camera_verdicts (edge_id, camera_id, edge_verdict_id DESC);

-- Reads, one partition per UTC capture day (retention drops whole days). The key includes captured_at
-- because a partitioned table's unique keys must; an edge read never changes its capture time, so a
-- resent read lands in the same partition and (edge_id, edge_read_id) stays unique in practice.
CREATE TABLE reads (
  edge_id      text NOT NULL,
  edge_read_id bigint NOT NULL CHECK (edge_read_id > 0),
  camera_id    text NOT NULL,
  captured_at  timestamptz NOT NULL,
  plate        text NOT NULL CHECK (plate ~ '^[A-Z0-9]{1,10}$'),
  plate_key    text NOT NULL CHECK (plate_key ~ '^[A-Z0-9]{1,10}$'),   -- folded search key: O=0, I=1
  raw_text     text NOT NULL,
  confidence   real NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
  box_x        integer NOT NULL,
  box_y        integer NOT NULL,
  box_w        integer NOT NULL CHECK (box_w > 0),
  box_h        integer NOT NULL CHECK (box_h > 0),
  model_id     text NOT NULL,
  verdict_id   bigint NOT NULL REFERENCES camera_verdicts (id),
  crop_sha256  text CHECK (crop_sha256 ~ '^[0-9a-f]{64}$'),
  received_at  timestamptz NOT NULL,
  PRIMARY KEY (edge_id, edge_read_id, captured_at)
) PARTITION BY RANGE (captured_at);
CREATE INDEX reads_plate_key ON reads (plate_key, captured_at);
CREATE INDEX reads_camera_time ON reads (edge_id, camera_id, captured_at);
CREATE INDEX reads_plate_key_trgm ON reads USING gin (plate_key gin_trgm_ops);

-- Fail closed twice: the edge stored the read under a compliant verdict; the hub stores it only if that
-- verdict is known here, is for the read's camera, is compliant, and had not been superseded by a newer
-- verdict of the camera evaluated before the read was captured.
CREATE FUNCTION reads_require_compliant_verdict() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  v camera_verdicts%ROWTYPE;
BEGIN
  SELECT * INTO v FROM camera_verdicts WHERE id = NEW.verdict_id;
  IF NOT FOUND OR v.edge_id <> NEW.edge_id OR v.camera_id <> NEW.camera_id OR NOT v.compliant THEN
    RAISE EXCEPTION 'read refused: no compliant verdict for camera %/%', NEW.edge_id, NEW.camera_id
      USING ERRCODE = 'P0001', HINT = 'no_compliant_verdict';
  END IF;
  IF EXISTS (
    SELECT 1 FROM camera_verdicts n
    WHERE n.edge_id = NEW.edge_id AND n.camera_id = NEW.camera_id
      AND n.edge_verdict_id > v.edge_verdict_id AND n.evaluated_at <= NEW.captured_at
  ) THEN
    RAISE EXCEPTION 'read refused: verdict % of camera %/% was superseded before the read was captured',
      v.edge_verdict_id, NEW.edge_id, NEW.camera_id
      USING ERRCODE = 'P0001', HINT = 'stale_verdict';
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER reads_require_compliant_verdict BEFORE INSERT ON reads
  FOR EACH ROW EXECUTE FUNCTION reads_require_compliant_verdict();

-- The hub's audit chain (same rules as the edge's: shared/audit/chain.ts). Append-only, and a row must
-- continue the chain: seq is the next number and prev_hash the hash of the row before, so even a writer
-- that skipped the chain lock cannot fork it.
CREATE TABLE audit_events (
  seq       bigint PRIMARY KEY CHECK (seq > 0),
  at        bigint NOT NULL,                  -- ms since epoch, UTC
  kind      text NOT NULL,
  actor     text NOT NULL,
  payload   text NOT NULL,                    -- canonical JSON (RFC 8785), exactly as hashed
  prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash      text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$')
);
CREATE INDEX audit_events_kind ON audit_events (kind, seq);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'P0001', HINT = 'append_only';
END
$fn$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

CREATE FUNCTION audit_events_continue_chain() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  last audit_events%ROWTYPE;
BEGIN
  SELECT * INTO last FROM audit_events ORDER BY seq DESC LIMIT 1;
  IF (NOT FOUND AND (NEW.seq <> 1 OR NEW.prev_hash <> repeat('0', 64)))
     OR (FOUND AND (NEW.seq <> last.seq + 1 OR NEW.prev_hash <> last.hash)) THEN
    RAISE EXCEPTION 'audit row % does not continue the chain', NEW.seq USING ERRCODE = 'P0001', HINT = 'chain_fork';
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER audit_events_continue_chain BEFORE INSERT ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_continue_chain();
`;
