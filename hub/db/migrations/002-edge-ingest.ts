// Hub schema version 2: what enrolment and ingest need. Each edge's HMAC secret (sealed with the hub's
// secrets key, never in clear), the pinned public key of its audit chain, the nonces it used inside the
// replay window, its forwarding status, and what it forwarded besides reads: purge receipts and the signed
// heads of its audit chain (append-only: they are the edge chain's external anchor).
export const EDGE_INGEST_SCHEMA = `
ALTER TABLE edges
  ADD COLUMN secret_sealed      text,          -- AES-256-GCM under the hub secrets key (hub/crypto/secret-box.ts)
  ADD COLUMN secret_issued_at   timestamptz,
  ADD COLUMN head_public_key    text,          -- base64 raw Ed25519 key of the edge's audit chain, pinned on first use
  ADD COLUMN head_key_id        text,
  ADD COLUMN head_key_pinned_at timestamptz;

-- Nonces seen inside the signature window; a nonce seen again from the same edge is a replay.
CREATE TABLE edge_nonces (
  edge_id text NOT NULL REFERENCES edges (id),
  nonce   text NOT NULL CHECK (nonce ~ '^[0-9a-f]{32}$'),
  seen_at timestamptz NOT NULL,
  PRIMARY KEY (edge_id, nonce)
);
CREATE INDEX edge_nonces_seen_at ON edge_nonces (seen_at);

-- Forwarding status, one row per edge, updated by every ingest request (kept apart from edges so the
-- identity row is not rewritten hundreds of times an hour).
CREATE TABLE edge_forwarding (
  edge_id               text PRIMARY KEY REFERENCES edges (id),
  last_seen_at          timestamptz,
  last_request          text,
  read_cursor           bigint NOT NULL DEFAULT 0,
  verdict_cursor        bigint NOT NULL DEFAULT 0,
  receipt_cursor        bigint NOT NULL DEFAULT 0,
  head_seq              bigint NOT NULL DEFAULT 0,
  reads_accepted        bigint NOT NULL DEFAULT 0,
  reads_duplicate       bigint NOT NULL DEFAULT 0,
  reads_refused         bigint NOT NULL DEFAULT 0,
  backlog_reads         bigint,                -- as the edge last reported it
  oldest_unforwarded_at timestamptz,
  status_reported_at    timestamptz
);

CREATE TABLE edge_receipts (
  edge_id     text NOT NULL REFERENCES edges (id),
  audit_seq   bigint NOT NULL CHECK (audit_seq > 0),
  receipt     jsonb NOT NULL,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (edge_id, audit_seq)
);

-- Every key ever pinned for an edge's audit chain: heads stay verifiable after an admin re-pins a new key.
CREATE TABLE edge_head_keys (
  edge_id    text NOT NULL REFERENCES edges (id),
  key_id     text NOT NULL,
  public_key text NOT NULL,
  pinned_at  timestamptz NOT NULL,
  PRIMARY KEY (edge_id, key_id)
);

CREATE TABLE edge_audit_heads (
  edge_id     text NOT NULL REFERENCES edges (id),
  seq         bigint NOT NULL CHECK (seq >= 0),
  hash        text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  at          bigint NOT NULL,                -- ms since epoch, as signed by the edge
  key_id      text NOT NULL,
  signature   text NOT NULL,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (edge_id, seq)
);

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'P0001', HINT = 'append_only';
END
$fn$;
CREATE TRIGGER edge_audit_heads_append_only BEFORE UPDATE OR DELETE ON edge_audit_heads
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER edge_audit_heads_no_truncate BEFORE TRUNCATE ON edge_audit_heads
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER edge_head_keys_append_only BEFORE UPDATE OR DELETE ON edge_head_keys
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER edge_receipts_append_only BEFORE UPDATE OR DELETE ON edge_receipts
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER edge_receipts_no_truncate BEFORE TRUNCATE ON edge_receipts
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
`;
