-- The stafettlogg: every case's log entries, each written once by the case workflow's activity
-- (INSERT … ON CONFLICT DO NOTHING, so retries and replays change nothing) and read back in
-- seq order. Only ids and the position are in clear; the entry itself is sealed with the data
-- key (runtime/key-ring.ts), so who did what with which payload is not readable in the database.

CREATE TABLE case_log (
  kommune text NOT NULL,
  case_id text NOT NULL,
  -- 1, 2, 3 … per case, across continue-as-new.
  seq integer NOT NULL CHECK (seq > 0),
  entry bytea NOT NULL,
  PRIMARY KEY (kommune, case_id, seq)
);
