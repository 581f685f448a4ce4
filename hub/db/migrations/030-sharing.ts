// Hub schema version 30: sharing with other California agencies. Inquiry requests, the approvals that
// decide them, access grants with their expiry, the effective sharing ACL searches read, and export
// requests. The database refuses, whatever the code above does: a grant or share to anything but a
// California state or local law-enforcement agency (SH-01), an approval by the requester (SH-03), a
// share without an approved grant behind it (SH-03), a grant longer than 90 days (SH-05), an inquiry
// missing any of its fields (SH-04), and an export over the cap or approved by its requester.
// Identities are compared on their folded key (shared/access/text-fold identityKey), written by the code.
export const SHARING_SCHEMA = `
-- A composite key so a grant can insist, by foreign key, that its grantee is CA law enforcement; and a
-- name that names a federal or immigration agency is refused by the table too (SH-01).
ALTER TABLE agencies ADD CONSTRAINT agencies_id_state_type UNIQUE (id, state, agency_type);
ALTER TABLE agencies ADD CONSTRAINT agencies_not_federal CHECK (
  name !~* '\\m(federal|fbi|dea|atf|usms|homeland|customs|border patrol|national guard|united states|immigration|ice|cbp|dhs|hsi|ero)\\M'
);

-- Every approval or denial of a sharing request or an export, by whom, with the requester's key beside
-- the decider's so the table itself refuses self-approval.
CREATE TABLE sharing_approvals (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subject        text NOT NULL CHECK (subject IN ('inquiry', 'grant', 'grant_renewal', 'export')),
  subject_id     bigint NOT NULL,
  decision       text NOT NULL CHECK (decision IN ('approved', 'denied')),
  requester      text NOT NULL CHECK (length(btrim(requester)) BETWEEN 1 AND 200),
  requester_key  text NOT NULL CHECK (length(requester_key) >= 1),
  decider        text NOT NULL CHECK (length(btrim(decider)) BETWEEN 1 AND 200),
  decider_key    text NOT NULL CHECK (length(decider_key) >= 1),
  decider_role   text NOT NULL CHECK (decider_role IN ('command', 'supervisor')),
  decider_agency_id bigint NOT NULL REFERENCES agencies (id),
  reason         text CHECK (reason IS NULL OR length(btrim(reason)) BETWEEN 1 AND 2000),
  decided_at     timestamptz NOT NULL,
  CONSTRAINT sharing_approvals_not_self CHECK (decider_key <> requester_key
    AND lower(btrim(decider)) <> lower(btrim(requester))),
  -- Sharing is decided by command staff (SH-03); exports by a supervisor (Q-07).
  CONSTRAINT sharing_approvals_role CHECK ((subject = 'export') = (decider_role = 'supervisor')),
  CONSTRAINT sharing_approvals_denial_reason CHECK (decision = 'approved' OR reason IS NOT NULL),
  UNIQUE (subject, subject_id)
);

-- An inquiry from an agency without standing access (SH-04): every field required, stored as screened.
CREATE TABLE inquiries (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  requesting_agency_id bigint NOT NULL,
  requesting_state     text NOT NULL DEFAULT 'CA' CHECK (requesting_state = 'CA'),
  requesting_type      text NOT NULL CHECK (requesting_type IN ('local_le', 'state_le')),
  owner_agency_id      bigint NOT NULL REFERENCES agencies (id),
  submitted_by         text NOT NULL CHECK (length(btrim(submitted_by)) BETWEEN 1 AND 200),
  submitted_key        text NOT NULL CHECK (length(submitted_key) >= 1),
  submitted_by_agency_id bigint NOT NULL REFERENCES agencies (id),
  officer              text NOT NULL CHECK (length(btrim(officer)) BETWEEN 3 AND 100),
  crime_type           text NOT NULL CHECK (crime_type ~ '^[a-z][a-z0-9_]{1,63}$'),
  case_number          text NOT NULL CHECK (length(btrim(case_number)) BETWEEN 1 AND 64),
  justification        text NOT NULL CHECK (length(btrim(justification)) BETWEEN 20 AND 2000),
  search               jsonb NOT NULL CHECK (jsonb_typeof(search) = 'object'),
  lexicon_version      text NOT NULL,
  status               text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied')),
  approval_id          bigint REFERENCES sharing_approvals (id),
  grant_id             bigint,
  created_at           timestamptz NOT NULL,
  decided_at           timestamptz,
  CONSTRAINT inquiries_requester_is_ca_le FOREIGN KEY (requesting_agency_id, requesting_state, requesting_type)
    REFERENCES agencies (id, state, agency_type) ON UPDATE RESTRICT ON DELETE RESTRICT,
  CONSTRAINT inquiries_other_agency CHECK (requesting_agency_id <> owner_agency_id),
  CONSTRAINT inquiries_decided CHECK ((status = 'pending') = (approval_id IS NULL)
    AND (approval_id IS NULL) = (decided_at IS NULL)),
  CONSTRAINT inquiries_approved_has_grant CHECK ((status = 'approved') = (grant_id IS NOT NULL))
);
CREATE INDEX inquiries_owner_pending ON inquiries (owner_agency_id) WHERE status = 'pending';

-- Access grants: the grantee may search the owner's reads, once approved and until expiry (SH-05).
-- Activation before approval is impossible: no approval, no approval time, no expiry (SH-03).
CREATE TABLE access_grants (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  owner_agency_id   bigint NOT NULL REFERENCES agencies (id),
  grantee_agency_id bigint NOT NULL,
  grantee_state     text NOT NULL DEFAULT 'CA' CHECK (grantee_state = 'CA'),
  grantee_type      text NOT NULL CHECK (grantee_type IN ('local_le', 'state_le')),
  inquiry_id        bigint REFERENCES inquiries (id),
  renews_grant_id   bigint REFERENCES access_grants (id),
  requested_by      text NOT NULL CHECK (length(btrim(requested_by)) BETWEEN 1 AND 200),
  requested_key     text NOT NULL CHECK (length(requested_key) >= 1),
  requested_at      timestamptz NOT NULL,
  case_number       text NOT NULL CHECK (length(btrim(case_number)) BETWEEN 1 AND 64),
  justification     text NOT NULL CHECK (length(btrim(justification)) BETWEEN 20 AND 2000),
  approval_id       bigint REFERENCES sharing_approvals (id),
  approved_by       text,
  approved_key      text,
  approved_at       timestamptz,
  expires_at        timestamptz,
  case_closed_at    timestamptz,
  ended_at          timestamptz,
  ended_by          text,
  end_reason        text CHECK (end_reason IS NULL OR end_reason IN ('revoked', 'renewed', 'denied', 'drift')),
  CONSTRAINT access_grants_grantee_is_ca_le FOREIGN KEY (grantee_agency_id, grantee_state, grantee_type)
    REFERENCES agencies (id, state, agency_type) ON UPDATE RESTRICT ON DELETE RESTRICT,
  CONSTRAINT access_grants_other_agency CHECK (owner_agency_id <> grantee_agency_id),
  CONSTRAINT access_grants_approval_complete CHECK (
    (approval_id IS NULL) = (approved_by IS NULL) AND (approved_by IS NULL) = (approved_key IS NULL)
    AND (approved_key IS NULL) = (approved_at IS NULL) AND (approved_at IS NULL) = (expires_at IS NULL)),
  CONSTRAINT access_grants_not_self_approved CHECK (approved_key IS NULL OR (approved_key <> requested_key
    AND lower(btrim(approved_by)) <> lower(btrim(requested_by)))),
  CONSTRAINT access_grants_approved_after_request CHECK (approved_at IS NULL OR approved_at >= requested_at),
  CONSTRAINT access_grants_at_most_90_days CHECK (expires_at IS NULL
    OR (expires_at > approved_at AND expires_at <= approved_at + interval '90 days')),
  CONSTRAINT access_grants_end_complete CHECK ((ended_at IS NULL) = (end_reason IS NULL)
    AND (ended_at IS NULL) = (ended_by IS NULL))
);
CREATE UNIQUE INDEX access_grants_one_pending_renewal ON access_grants (renews_grant_id)
  WHERE renews_grant_id IS NOT NULL AND approved_at IS NULL AND ended_at IS NULL;
CREATE INDEX access_grants_grantee ON access_grants (grantee_agency_id) WHERE ended_at IS NULL;

ALTER TABLE inquiries ADD CONSTRAINT inquiries_grant FOREIGN KEY (grant_id) REFERENCES access_grants (id);

-- The effective sharing ACL: what searches apply. Written only with an approved, unended grant of the same
-- pair that outlives it; the daily drift job compares it with the grants anyway (SH-07), because a
-- trigger can be disabled and an ACL edited by hand is exactly the failure it exists to catch.
CREATE TABLE agency_shares (
  owner_agency_id   bigint NOT NULL REFERENCES agencies (id),
  grantee_agency_id bigint NOT NULL,
  grantee_state     text NOT NULL DEFAULT 'CA' CHECK (grantee_state = 'CA'),
  grantee_type      text NOT NULL CHECK (grantee_type IN ('local_le', 'state_le')),
  grant_id          bigint REFERENCES access_grants (id),
  expires_at        timestamptz NOT NULL,
  created_at        timestamptz NOT NULL,
  PRIMARY KEY (owner_agency_id, grantee_agency_id),
  CONSTRAINT agency_shares_grantee_is_ca_le FOREIGN KEY (grantee_agency_id, grantee_state, grantee_type)
    REFERENCES agencies (id, state, agency_type) ON UPDATE RESTRICT ON DELETE RESTRICT,
  CONSTRAINT agency_shares_other_agency CHECK (owner_agency_id <> grantee_agency_id)
);

CREATE FUNCTION agency_shares_require_grant() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  g access_grants%ROWTYPE;
BEGIN
  SELECT * INTO g FROM access_grants WHERE id = NEW.grant_id;
  IF NOT FOUND OR g.approved_at IS NULL OR g.ended_at IS NOT NULL
     OR g.owner_agency_id <> NEW.owner_agency_id OR g.grantee_agency_id <> NEW.grantee_agency_id
     OR NEW.expires_at > g.expires_at THEN
    RAISE EXCEPTION 'share refused: no approved grant % for this pair that lasts as long', NEW.grant_id
      USING ERRCODE = 'P0001', HINT = 'share_without_grant';
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER agency_shares_require_grant BEFORE INSERT OR UPDATE ON agency_shares
  FOR EACH ROW EXECUTE FUNCTION agency_shares_require_grant();

-- Export requests (Q-07, SH-09): a search's results as CSV, for the requester's own agency, capped, and
-- only after a supervisor other than the requester approved it.
CREATE TABLE export_requests (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  agency_id       bigint NOT NULL REFERENCES agencies (id),
  search_id       bigint NOT NULL REFERENCES searches (id),
  requested_by_id bigint NOT NULL,
  format          text NOT NULL CHECK (format = 'csv'),
  requested_by    text NOT NULL CHECK (length(btrim(requested_by)) BETWEEN 1 AND 200),
  requested_key   text NOT NULL CHECK (length(requested_key) >= 1),
  requested_at    timestamptz NOT NULL,
  case_number     text NOT NULL CHECK (length(btrim(case_number)) BETWEEN 1 AND 64),
  reason          text NOT NULL CHECK (length(btrim(reason)) BETWEEN 20 AND 2000),
  row_count       integer NOT NULL CHECK (row_count >= 0),
  max_rows        integer NOT NULL CHECK (max_rows BETWEEN 1 AND 50000),
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied')),
  approval_id     bigint REFERENCES sharing_approvals (id),
  approved_by     text,
  approved_key    text,
  decided_at      timestamptz,
  downloads       integer NOT NULL DEFAULT 0 CHECK (downloads >= 0),
  last_download_at timestamptz,
  CONSTRAINT export_requests_capped CHECK (row_count <= max_rows),
  CONSTRAINT export_requests_decided CHECK ((status = 'pending') = (approval_id IS NULL)
    AND (approval_id IS NULL) = (decided_at IS NULL)),
  CONSTRAINT export_requests_approver CHECK ((status = 'approved') = (approved_key IS NOT NULL)
    AND (approved_key IS NULL) = (approved_by IS NULL)),
  CONSTRAINT export_requests_not_self_approved CHECK (approved_key IS NULL OR (approved_key <> requested_key
    AND lower(btrim(approved_by)) <> lower(btrim(requested_by)))),
  CONSTRAINT export_requests_download_approved CHECK (downloads = 0 OR status = 'approved')
);
CREATE INDEX export_requests_agency ON export_requests (agency_id, status);
`;
