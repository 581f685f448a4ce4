// Hub schema version 40: oversight. Quarterly reports (their files' hashes and result), auditor sign-offs,
// case-number samples with a pass/fail per item (CMP-04), the weekly anomaly queue and its review
// (CMP-01), and incidents a FAILED report opens (CMP-03). Reports, sign-offs and incidents are never
// deleted; a sample item and an anomaly item change once, from open to decided.
export const OVERSIGHT_SCHEMA = `
CREATE TABLE oversight_reports (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  period_from   timestamptz NOT NULL,
  period_to     timestamptz NOT NULL CHECK (period_to > period_from),
  generated_at  timestamptz NOT NULL,
  result        text NOT NULL CHECK (result IN ('PASSED', 'FAILED')),
  json_sha256   text NOT NULL CHECK (json_sha256 ~ '^[0-9a-f]{64}$'),
  pdf_sha256    text NOT NULL CHECK (pdf_sha256 ~ '^[0-9a-f]{64}$'),
  json_path     text NOT NULL,
  pdf_path      text NOT NULL,
  key_id        text NOT NULL,
  audit_seq     bigint NOT NULL,
  summary       jsonb NOT NULL
);
CREATE INDEX oversight_reports_period ON oversight_reports (period_to DESC, id DESC);

CREATE TABLE oversight_signoffs (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  report_id  bigint NOT NULL REFERENCES oversight_reports (id),
  auditor    text NOT NULL CHECK (length(btrim(auditor)) BETWEEN 1 AND 200),
  decision   text NOT NULL CHECK (decision IN ('accepted', 'rejected')),
  note       text NOT NULL CHECK (length(note) <= 2000),
  signed_at  timestamptz NOT NULL,
  audit_seq  bigint NOT NULL,
  UNIQUE (report_id, auditor)
);

CREATE TABLE oversight_samples (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  period_from timestamptz NOT NULL,
  period_to   timestamptz NOT NULL,
  drawn_by    text NOT NULL,
  drawn_at    timestamptz NOT NULL,
  population  integer NOT NULL CHECK (population >= 0),
  size        integer NOT NULL CHECK (size >= 0)
);

CREATE TABLE oversight_sample_items (
  sample_id    bigint NOT NULL REFERENCES oversight_samples (id),
  audit_seq    bigint NOT NULL,
  case_number  text,
  agency       text,
  searched_at  timestamptz NOT NULL,
  verdict      text CHECK (verdict IN ('pass', 'fail')),
  checked_by   text,
  checked_at   timestamptz,
  note         text CHECK (note IS NULL OR length(note) <= 2000),
  PRIMARY KEY (sample_id, audit_seq),
  CONSTRAINT sample_item_decided_whole CHECK ((verdict IS NULL) = (checked_by IS NULL) AND (verdict IS NULL) = (checked_at IS NULL))
);

CREATE TABLE oversight_anomalies (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  item_key     text NOT NULL UNIQUE,
  week_start   timestamptz NOT NULL,
  detector     text NOT NULL,
  subject      text NOT NULL,
  count        integer NOT NULL,
  seqs         jsonb NOT NULL,
  detail       text NOT NULL,
  found_at     timestamptz NOT NULL,
  status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'cleared', 'escalated')),
  reviewed_by  text,
  reviewed_at  timestamptz,
  review_note  text,
  CONSTRAINT anomaly_review_whole CHECK ((status = 'open') = (reviewed_by IS NULL) AND (reviewed_by IS NULL) = (reviewed_at IS NULL))
);
CREATE INDEX oversight_anomalies_week ON oversight_anomalies (week_start, status);

CREATE TABLE oversight_incidents (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind       text NOT NULL,
  opened_at  timestamptz NOT NULL,
  report_id  bigint REFERENCES oversight_reports (id),
  detail     jsonb NOT NULL,
  closed_at  timestamptz,
  closed_by  text
);

-- Decided once: a decided sample item or reviewed anomaly never changes again; nothing here is deleted.
CREATE FUNCTION oversight_decided_once() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION '% rows are kept', TG_TABLE_NAME USING ERRCODE = 'P0001', HINT = 'append_only';
  END IF;
  -- Nested, not OR: each table's row has only its own columns.
  IF TG_TABLE_NAME = 'oversight_sample_items' THEN
    IF OLD.verdict IS NOT NULL THEN
      RAISE EXCEPTION 'already decided' USING ERRCODE = 'P0001', HINT = 'already_decided';
    END IF;
  ELSIF OLD.status <> 'open' THEN
    RAISE EXCEPTION 'already decided' USING ERRCODE = 'P0001', HINT = 'already_decided';
  END IF;
  RETURN NEW;
END
$fn$;
CREATE TRIGGER oversight_sample_items_once BEFORE UPDATE OR DELETE ON oversight_sample_items
  FOR EACH ROW EXECUTE FUNCTION oversight_decided_once();
CREATE TRIGGER oversight_anomalies_once BEFORE UPDATE OR DELETE ON oversight_anomalies
  FOR EACH ROW EXECUTE FUNCTION oversight_decided_once();
CREATE TRIGGER oversight_reports_kept BEFORE UPDATE OR DELETE ON oversight_reports
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER oversight_signoffs_kept BEFORE UPDATE OR DELETE ON oversight_signoffs
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
`;
