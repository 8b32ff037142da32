-- Cloud-to-device inboxes (Azure IoT Hub C2D semantics) and the feedback sent back to senders.
--
-- A message is a row only while it is waiting or locked: completed and dead-lettered messages are
-- deleted in the transaction that settles them (IoT Hub keeps no recoverable dead-letter queue),
-- and their outcome survives as a feedback row when the sender asked for it. So the queue depth is
-- a count over the device's rows, bounded by the per-device maximum depth.
-- Times are epoch milliseconds (UTC). Portable to PostgreSQL except BLOB, which becomes BYTEA.

-- Global counters: one sequence for messages (so a number is never reused, even after the queue
-- empties or the device is deleted and created again), one for feedback.
CREATE TABLE inbox_counters (
  name       TEXT   NOT NULL PRIMARY KEY,
  next_value BIGINT NOT NULL
);

INSERT INTO inbox_counters (name, next_value) VALUES ('message', 1);
INSERT INTO inbox_counters (name, next_value) VALUES ('feedback', 1);

CREATE TABLE inbox_messages (
  -- No ON DELETE: deleting a device purges its inbox first, in the same transaction, with feedback.
  device_id        TEXT    NOT NULL REFERENCES devices (id),
  sequence         BIGINT  NOT NULL,
  sender           TEXT    NOT NULL,
  message_id       TEXT,
  correlation_id   TEXT,
  user_id          TEXT,
  content_type     TEXT,
  content_encoding TEXT,
  -- application properties, encoded by io.gatehouse.store.sqlite.ApplicationPropertiesCodec
  app_properties   BLOB,
  payload          BLOB    NOT NULL,
  ack              TEXT    NOT NULL CHECK (ack IN ('none', 'positive', 'negative', 'full')),
  enqueued_at      BIGINT  NOT NULL,
  expires_at       BIGINT  NOT NULL,
  delivery_count   INTEGER NOT NULL,
  state            TEXT    NOT NULL CHECK (state IN ('waiting', 'locked')),
  -- set together while locked; a lock whose locked_until has passed is lost
  lock_token       TEXT,
  locked_until     BIGINT,
  CHECK ((state = 'locked') = (lock_token IS NOT NULL AND locked_until IS NOT NULL)),
  -- Delivery order is sequence order within a device: the primary key is that index.
  PRIMARY KEY (device_id, sequence)
);

-- For the periodic TTL sweep across all devices.
CREATE INDEX inbox_messages_by_expiry ON inbox_messages (expires_at);

CREATE TABLE inbox_feedback (
  sequence            BIGINT NOT NULL PRIMARY KEY,
  sender              TEXT   NOT NULL,
  device_id           TEXT   NOT NULL,
  original_message_id TEXT,
  original_sequence   BIGINT NOT NULL,
  -- when the outcome happened (Azure's enqueuedTimeUtc of a feedback record)
  enqueued_at         BIGINT NOT NULL,
  status              TEXT   NOT NULL
    CHECK (status IN ('Success', 'Expired', 'DeliveryCountExceeded', 'Rejected', 'Purged')),
  description         TEXT   NOT NULL
);

-- Each sender reads its own feedback in sequence order.
CREATE INDEX inbox_feedback_by_sender ON inbox_feedback (sender, sequence);
