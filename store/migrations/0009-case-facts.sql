-- What the statistics count (#16): the facts of every case's changes, written with its log entries
-- (the same write, keyed by the entry's seq and the fact's place in it, INSERT … ON CONFLICT DO
-- NOTHING, so retries and replays write each fact once). Unlike case_log nothing here is sealed,
-- and nothing is personal: config ids (steps, levels, referral sources, timers, outcomes and the
-- values of a field's enum), times, and a holder as a pseudonym. So the figures outlive Temporal's
-- retention. machines/case-facts.ts says what each kind carries in `value` and `detail`.

CREATE TABLE case_facts (
  kommune text NOT NULL,
  case_id text NOT NULL,
  seq integer NOT NULL CHECK (seq > 0),
  n smallint NOT NULL CHECK (n >= 0),
  kind text NOT NULL CHECK (kind IN ('opened', 'stepEntered', 'stepLeft', 'levelChanged', 'closed',
    'reopened', 'holderChanged', 'fieldSet', 'timerFired', 'overdueMarked', 'escalated', 'dueChanged',
    'notified', 'notificationFailed')),
  at timestamptz NOT NULL,
  step text NOT NULL,
  level smallint NOT NULL,
  value text,
  detail text,
  due_at timestamptz,
  PRIMARY KEY (kommune, case_id, seq, n)
);

-- The figures of a date range read by kind and time; a case's facts in order by the key.
CREATE INDEX case_facts_kind_at ON case_facts (kommune, kind, at);
