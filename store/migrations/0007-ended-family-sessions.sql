-- Family sessions signed out before their cookie expires (#13): every API process refuses such a
-- cookie, also one that did not see the sign-out and one started after it. The session id is a
-- bearer secret, so only its SHA-256 is kept; a row is worth nothing once the session would have
-- expired anyway, and is pruned then (the table holds at most the last session length's sign-outs).

CREATE TABLE ended_family_session (
  sid_hash text PRIMARY KEY CHECK (length(sid_hash) = 43),
  expires_at timestamptz NOT NULL
);

CREATE INDEX ended_family_session_expires ON ended_family_session (expires_at);
