-- A copy of the case for the family's right of access (#19) is a read of the case too: the
-- access log names it "export".

ALTER TABLE case_access_log DROP CONSTRAINT case_access_log_what_check;
ALTER TABLE case_access_log
  ADD CONSTRAINT case_access_log_what_check CHECK (what IN ('snapshot', 'history', 'stream', 'export'));
