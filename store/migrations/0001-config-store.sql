-- The config store: per kommune, immutable numbered published versions, one working draft,
-- and an append-only audit trail of every config change and case migration.

CREATE TABLE kommuner (
  id text PRIMARY KEY,
  -- Publishing locks this row (SELECT … FOR UPDATE), so publishes of one kommune happen one at
  -- a time and version numbers never collide or skip.
  latest_version integer NOT NULL CHECK (latest_version > 0),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE config_versions (
  kommune text NOT NULL REFERENCES kommuner (id),
  version integer NOT NULL CHECK (version > 0),
  -- json, not jsonb: keeps the owner's key order (steps, events) exactly as published.
  config json NOT NULL,
  author text NOT NULL,
  comment text NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now(),
  -- The published version the draft was based on (null for the seed).
  based_on integer,
  -- Set when a rollback published an earlier version again.
  restored_from integer,
  PRIMARY KEY (kommune, version)
);

CREATE TABLE config_drafts (
  kommune text PRIMARY KEY REFERENCES kommuner (id),
  -- The text exactly as the process owner wrote it: it may be unfinished or malformed JSON.
  source text NOT NULL,
  base_version integer NOT NULL,
  -- Bumped on every save, so two owners editing the same draft notice each other.
  revision integer NOT NULL DEFAULT 1,
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE config_audit (
  id bigserial PRIMARY KEY,
  kommune text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  action text NOT NULL,
  version integer,
  case_id text,
  -- The why: the publisher's comment, a refusal reason.
  reason text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb
);

CREATE INDEX config_audit_kommune_at ON config_audit (kommune, id);

-- Published versions and the audit trail are history: the database itself refuses to change it.
CREATE FUNCTION sluse_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER config_versions_immutable BEFORE UPDATE OR DELETE ON config_versions
  FOR EACH ROW EXECUTE FUNCTION sluse_refuse_change();

CREATE TRIGGER config_audit_append_only BEFORE UPDATE OR DELETE ON config_audit
  FOR EACH ROW EXECUTE FUNCTION sluse_refuse_change();
