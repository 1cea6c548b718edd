-- Caseload limits for single people (a part-time los follows fewer families), overriding the
-- maxOpenCases of their role's capacity rule. Set by a leader through the API, each change in
-- config_audit. A person is the token's opaque user id; no names. People change daily, so this
-- is data, not config.

CREATE TABLE caseload_limit (
  kommune text NOT NULL,
  person_id text NOT NULL,
  max_open_cases integer NOT NULL CHECK (max_open_cases BETWEEN 0 AND 1000),
  set_by text NOT NULL,
  set_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kommune, person_id)
);
