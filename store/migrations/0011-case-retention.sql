-- Deletion on time (#19): a closed case whose retention (the kommune's config) has ended has its
-- stafettlogg, archived record, sent messages and workflow history deleted; this record says that
-- it happened, and nothing of what was deleted. Append-only, like the config audit.

CREATE TABLE case_deletion (
  kommune text NOT NULL,
  case_id text NOT NULL,
  -- The exit step the case closed in, the Oslo day it closed, and the rule that applied.
  final_step text NOT NULL,
  closed_on date NOT NULL,
  kept_for text NOT NULL,
  deleted_at timestamptz NOT NULL DEFAULT now(),
  -- What was deleted, as counts.
  log_entries integer NOT NULL,
  messages integer NOT NULL,
  archived_record boolean NOT NULL,
  workflow_runs integer NOT NULL,
  PRIMARY KEY (kommune, case_id)
);

CREATE INDEX case_deletion_at ON case_deletion (kommune, deleted_at);

CREATE TRIGGER case_deletion_append_only BEFORE UPDATE OR DELETE ON case_deletion
  FOR EACH ROW EXECUTE FUNCTION sluse_refuse_change();

-- The access log stays append-only for everyone but the retention sweep, which deletes reads
-- older than the kommune's `retention.accessLog` inside a transaction that says so.
CREATE FUNCTION sluse_access_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('sluse.retention_sweep', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END
$$;

DROP TRIGGER case_access_log_append_only ON case_access_log;
CREATE TRIGGER case_access_log_append_only BEFORE UPDATE OR DELETE ON case_access_log
  FOR EACH ROW EXECUTE FUNCTION sluse_access_log_guard();

-- A deleted case's facts stay for the statistics; the sweep finds cases by their closing facts.
CREATE INDEX case_facts_case_kind ON case_facts (kommune, case_id, kind, seq);
