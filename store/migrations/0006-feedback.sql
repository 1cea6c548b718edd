-- Feedback forms and surveys (#14). A sent link's token is kept only as its SHA-256 hash, with
-- the kommune, survey, month and step it was sent for, and whether it has been answered: not the
-- case, not the person. An answer is kept with the same four facts and what was answered, and
-- nothing else: no token hash, no time finer than the month the link was sent, and a random id,
-- so no answer can be traced back to its token, and so to the message or the case.

CREATE TABLE feedback_token (
  token_hash text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  kommune text NOT NULL,
  survey text NOT NULL,
  month text NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  step text NOT NULL,
  expires_at timestamptz NOT NULL,
  used boolean NOT NULL DEFAULT false
);

CREATE TABLE feedback_answer (
  id uuid PRIMARY KEY,
  kommune text NOT NULL,
  survey text NOT NULL,
  month text NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  step text NOT NULL,
  -- Question id → the option id, or '1'…'5' on a scale.
  choices jsonb NOT NULL,
  -- Question id → the free text.
  texts jsonb NOT NULL
);

CREATE INDEX feedback_answer_by_survey ON feedback_answer (kommune, survey, month);
