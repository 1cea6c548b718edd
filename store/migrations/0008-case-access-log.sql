-- Every read of a case's data (#19): who (a pseudonym of the user id, and the role), when, which
-- case, and what was read. Nothing of the case's content. Append-only, like the config audit: the
-- trigger refuses updates and deletes (sluse_refuse_change, migration 0001).

CREATE TABLE case_access_log (
  id bigserial PRIMARY KEY,
  kommune text NOT NULL,
  case_id text NOT NULL,
  reader text NOT NULL,
  role text NOT NULL,
  what text NOT NULL CHECK (what IN ('snapshot', 'history', 'stream')),
  at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX case_access_log_case ON case_access_log (kommune, case_id, id);
CREATE INDEX case_access_log_reader ON case_access_log (kommune, reader, id);

CREATE TRIGGER case_access_log_append_only BEFORE UPDATE OR DELETE ON case_access_log
  FOR EACH ROW EXECUTE FUNCTION sluse_refuse_change();
