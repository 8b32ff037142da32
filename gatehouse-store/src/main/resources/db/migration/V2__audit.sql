-- The append-only audit log, sealed into an HMAC chain (see io.gatehouse.core.audit.AuditChain).
-- event_time is epoch milliseconds: the store truncates events to milliseconds before sealing, so
-- the hash covers exactly what is stored. In SQLite a BIGINT primary key is a separate unique
-- index rather than the rowid; kept for PostgreSQL portability (INTEGER there is 32 bits).

CREATE TABLE audit_log (
  sequence       BIGINT NOT NULL PRIMARY KEY,
  event_time     BIGINT NOT NULL,
  actor          TEXT   NOT NULL,
  action         TEXT   NOT NULL,
  target         TEXT   NOT NULL,
  outcome        TEXT   NOT NULL CHECK (outcome IN ('SUCCESS', 'DENIED', 'FAILURE')),
  reason         TEXT   NOT NULL,
  source_address TEXT   NOT NULL,
  previous_hash  TEXT   NOT NULL,
  hash           TEXT   NOT NULL
);
