-- The staff directory: how each staff member of a kommune is reached by the messages the cases
-- send them (#14). Keyed by the token's opaque user id; the role, when given, lets a message to a
-- role no one on the case holds (a leader) find its people. Name, e-mail, mobile and preferred
-- channel are personal data: sealed with the data key (runtime/key-ring.ts), never in clear.
-- Set by a leader through the API, each change in config_audit.

CREATE TABLE staff_directory (
  kommune text NOT NULL,
  person_id text NOT NULL,
  role text,
  contact bytea NOT NULL CHECK (octet_length(contact) <= 4096),
  set_by text NOT NULL,
  set_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kommune, person_id)
);

CREATE INDEX staff_directory_role ON staff_directory (kommune, role);
