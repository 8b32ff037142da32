-- The telemetry log: its own database file (telemetry.db), so its write rate and size never slow
-- or bloat the registry, and its own migrations (db/telemetry).
--
-- Laid out for append throughput. `sequence INTEGER PRIMARY KEY` is SQLite's rowid: appends in
-- sequence order go to the right edge of the one B-tree, and there is no other index to maintain.
-- (Deliberately not portable: the scale-out telemetry stream is Kafka, not PostgreSQL.)
-- firstSequenceAt needs no index on enqueued_at: the log stamps enqueue times itself, never
-- decreasing in sequence order, so it binary-searches over the primary key.
-- Small columns first, payload last.
CREATE TABLE telemetry (
  sequence         INTEGER PRIMARY KEY,
  enqueued_at      BIGINT  NOT NULL,
  device_id        TEXT    NOT NULL,
  gateway_id       TEXT,
  message_id       TEXT,
  correlation_id   TEXT,
  user_id          TEXT,
  content_type     TEXT,
  content_encoding TEXT,
  -- application properties, encoded by io.gatehouse.store.sqlite.ApplicationPropertiesCodec
  app_properties   BLOB,
  payload          BLOB    NOT NULL
);

CREATE TABLE consumer_offsets (
  consumer_group TEXT   NOT NULL PRIMARY KEY,
  next_sequence  BIGINT NOT NULL,
  committed_at   BIGINT NOT NULL
);

-- A checkpoint of the log's running totals, so opening a large log need not scan it:
-- payload_bytes is the payload of every row with sequence <= through_sequence, and sequences
-- up to through_sequence are never handed out again (even if retention deleted every row).
CREATE TABLE telemetry_checkpoint (
  id               INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  through_sequence BIGINT  NOT NULL,
  payload_bytes    BIGINT  NOT NULL
);

INSERT INTO telemetry_checkpoint (id, through_sequence, payload_bytes) VALUES (1, 0, 0);
