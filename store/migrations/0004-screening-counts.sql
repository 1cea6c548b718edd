-- Completed online self-assessments (screenings), counted per kommune, month, age band and
-- result band, and nothing else: no answers, no address, no time finer than the month, so a
-- count can never be traced to the family who filled it in (#13).

CREATE TABLE screening_count (
  kommune text NOT NULL,
  month text NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  age_band text NOT NULL,
  result_band text NOT NULL,
  completed integer NOT NULL CHECK (completed > 0),
  PRIMARY KEY (kommune, month, age_band, result_band)
);
