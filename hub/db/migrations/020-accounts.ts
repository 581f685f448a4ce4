// Hub schema version 20: people's accounts, their sessions, and login rate-limit counters. The table
// enforces what must never be otherwise: one account per person name (AC-06, compared by a folded key so
// look-alikes collide), a role from shared/access/roles.ts (a test compares the lists), a password hash and
// a sealed TOTP seed always present (no account without both factors), and sessions stored only as the
// SHA-256 of their id, so a copy of the database cannot be replayed as a live session (SESS-05).
export const ACCOUNTS_SCHEMA = `
CREATE TABLE users (
  id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  agency_id             bigint NOT NULL REFERENCES agencies (id),
  -- normalised (shared/policy/identity.ts normaliseIdentity): NFKC, trimmed, case folded
  username              text NOT NULL UNIQUE CHECK (length(username) BETWEEN 1 AND 128),
  -- shared/access/text-fold.ts identityKey: "det.a" and a Cyrillic "dеt.a" are one person
  username_key          text NOT NULL UNIQUE CHECK (length(username_key) BETWEEN 1 AND 256),
  role                  text NOT NULL
                        CHECK (role IN ('investigator', 'supervisor', 'command', 'auditor', 'admin', 'planner')),
  status                text NOT NULL CHECK (status IN ('active', 'disabled', 'pending')),
  password_hash         text NOT NULL CHECK (password_hash LIKE '$scrypt$%'),
  -- AES-256-GCM under the hub secrets key (shared/crypto/seed-cipher.ts), bound to the user id
  totp_seed_sealed      text NOT NULL CHECK (totp_seed_sealed LIKE 'v1.%'),
  last_totp_step        bigint CHECK (last_totp_step >= 0),
  failed_logins         integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
  locked_until          timestamptz,
  approved_by           text CHECK (approved_by IS NULL OR length(btrim(approved_by)) BETWEEN 1 AND 128),
  approved_at           timestamptz,
  training_completed_at timestamptz,
  last_active_at        timestamptz,
  -- sessions created before this are void (disable, role change, "end all")
  sessions_not_before   timestamptz,
  disabled_at           timestamptz,
  disabled_reason       text,
  created_by            text NOT NULL CHECK (length(btrim(created_by)) BETWEEN 1 AND 200),
  created_at            timestamptz NOT NULL,
  CHECK ((approved_by IS NULL) = (approved_at IS NULL)),
  CHECK (status <> 'disabled' OR disabled_at IS NOT NULL)
);
CREATE INDEX users_agency ON users (agency_id);

CREATE TABLE sessions (
  id_hash        text PRIMARY KEY CHECK (id_hash ~ '^[0-9a-f]{64}$'),
  user_id        bigint NOT NULL REFERENCES users (id),
  created_at     timestamptz NOT NULL,
  last_seen_at   timestamptz NOT NULL,
  ended_at       timestamptz,
  end_reason     text,
  -- the notice version (SHA-256 of its text) this session accepted, and when (ACK-01..03)
  notice_hash    text CHECK (notice_hash ~ '^[0-9a-f]{64}$'),
  acknowledged_at timestamptz,
  client_address text,
  CHECK ((ended_at IS NULL) = (end_reason IS NULL)),
  CHECK ((notice_hash IS NULL) = (acknowledged_at IS NULL))
);
CREATE INDEX sessions_open_by_user ON sessions (user_id) WHERE ended_at IS NULL;

-- Fixed-window counters shared by every hub process (state lives in the database, processes scale out).
CREATE TABLE rate_limit_hits (
  bucket       text NOT NULL CHECK (length(bucket) BETWEEN 1 AND 300),
  window_start timestamptz NOT NULL,
  hits         integer NOT NULL CHECK (hits > 0),
  PRIMARY KEY (bucket, window_start)
);
CREATE INDEX rate_limit_hits_window ON rate_limit_hits (window_start);
`;
