// Hub schema version 11: the city's sensitive-site registry, every imported version kept with its signed
// copy for edges. Append-only, and an import without its audit entry in the same transaction fails.
export const SITE_REGISTRY_SCHEMA = `
CREATE TABLE site_registry_versions (
  seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  version       text NOT NULL CHECK (version ~ '^[0-9a-f]{64}$'),
  -- the exact body GET /api/v1/registry serves: signed, without site names
  envelope      text NOT NULL,
  signed_at     timestamptz NOT NULL,
  key_id        text NOT NULL CHECK (key_id ~ '^[0-9a-f]{16}$'),
  -- the normalised registry as imported, with names unless stripped: confidential, for planners
  registry      jsonb NOT NULL,
  sites         integer NOT NULL CHECK (sites >= 0),
  entrances     integer NOT NULL CHECK (entrances >= 0),
  counts        jsonb NOT NULL,
  names_stored  boolean NOT NULL,
  source_sha256 text NOT NULL CHECK (source_sha256 ~ '^[0-9a-f]{64}$'),
  imported_by   text NOT NULL CHECK (length(btrim(imported_by)) BETWEEN 1 AND 200),
  imported_at   timestamptz NOT NULL
);

CREATE FUNCTION site_registry_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'site registry versions are kept as imported (append-only)'
    USING ERRCODE = 'P0001', HINT = 'append_only';
END
$fn$;
CREATE TRIGGER site_registry_no_update BEFORE UPDATE OR DELETE ON site_registry_versions
  FOR EACH ROW EXECUTE FUNCTION site_registry_append_only();
CREATE TRIGGER site_registry_no_truncate BEFORE TRUNCATE ON site_registry_versions
  FOR EACH STATEMENT EXECUTE FUNCTION site_registry_append_only();

CREATE FUNCTION site_registry_audited() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM audit_events WHERE kind = 'sites.imported' AND payload::jsonb ->> 'registrySeq' = NEW.seq::text
  ) THEN
    RAISE EXCEPTION 'site registry version % has no sites.imported audit entry in its transaction', NEW.seq
      USING ERRCODE = 'P0001', HINT = 'registry_unaudited';
  END IF;
  RETURN NULL;
END
$fn$;
CREATE CONSTRAINT TRIGGER site_registry_audited AFTER INSERT ON site_registry_versions
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION site_registry_audited();
`;
