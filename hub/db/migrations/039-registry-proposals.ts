// Hub schema version 39: planners' proposed changes to the sensitive-site registry, which an admin other
// than the proposer approves (the approval imports it as a new signed version) or rejects. A proposal is
// decided once; the database refuses self-approval and a decision without its audit entry.
export const REGISTRY_PROPOSALS_SCHEMA = `
CREATE TABLE registry_proposals (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  proposed_by    text NOT NULL CHECK (length(btrim(proposed_by)) BETWEEN 1 AND 200),
  proposed_at    timestamptz NOT NULL,
  reason         text NOT NULL CHECK (length(btrim(reason)) BETWEEN 10 AND 2000),
  -- the proposed registry file as submitted (GeoJSON), validated before it is stored
  source         text NOT NULL,
  version        text NOT NULL CHECK (version ~ '^[0-9a-f]{64}$'),
  base_version   text,
  sites          integer NOT NULL CHECK (sites >= 0),
  entrances      integer NOT NULL CHECK (entrances >= 0),
  status         text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  decided_by     text,
  decided_at     timestamptz,
  decision_note  text,
  -- the version the approval imported (no foreign key: site_registry_versions is append-only, and a key
  -- would turn its own TRUNCATE refusal into a different error)
  registry_seq   bigint,
  CONSTRAINT registry_proposal_decided CHECK (
    (status = 'pending' AND decided_by IS NULL AND decided_at IS NULL)
    OR (status <> 'pending' AND decided_by IS NOT NULL AND decided_at IS NOT NULL)),
  CONSTRAINT registry_proposal_not_self CHECK (decided_by IS NULL OR lower(decided_by) <> lower(proposed_by)),
  CONSTRAINT registry_proposal_import CHECK ((status = 'approved') = (registry_seq IS NOT NULL))
);

CREATE FUNCTION registry_proposal_once() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.status <> 'pending' THEN
    RAISE EXCEPTION 'registry proposal % is decided and kept as it is', OLD.id
      USING ERRCODE = 'P0001', HINT = 'proposal_decided';
  END IF;
  IF NEW.source <> OLD.source OR NEW.proposed_by <> OLD.proposed_by OR NEW.version <> OLD.version THEN
    RAISE EXCEPTION 'a registry proposal''s content cannot change' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER registry_proposal_once BEFORE UPDATE OR DELETE ON registry_proposals
  FOR EACH ROW EXECUTE FUNCTION registry_proposal_once();

CREATE FUNCTION registry_proposal_audited() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE want text := CASE NEW.status WHEN 'pending' THEN 'registry.proposed'
  WHEN 'approved' THEN 'registry.proposal_approved' ELSE 'registry.proposal_rejected' END;
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM audit_events WHERE kind = want AND payload::jsonb ->> 'proposalId' = NEW.id::text
  ) THEN
    RAISE EXCEPTION 'registry proposal % has no % audit entry in its transaction', NEW.id, want
      USING ERRCODE = 'P0001', HINT = 'proposal_unaudited';
  END IF;
  RETURN NULL;
END
$fn$;
CREATE CONSTRAINT TRIGGER registry_proposal_audited AFTER INSERT OR UPDATE ON registry_proposals
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION registry_proposal_audited();
`;
