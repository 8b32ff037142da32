-- The latest posture report of each field gateway (kind edge): what it runs, since when, which LAN
-- listeners it has open, how full its buffer is. One row per edge, replaced by each report; the
-- report is kept as the JSON text the edge sent (it was checked to be a JSON object first).
-- Times are epoch milliseconds (UTC). Portable to PostgreSQL as it stands.

CREATE TABLE edge_postures (
  -- Deleting the edge deletes its posture: nothing is left to show for an id that may be reused.
  edge_id        TEXT   NOT NULL PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
  received_at    BIGINT NOT NULL,
  report         TEXT   NOT NULL,
  -- the address the report came from, as the MQTT connection saw it
  source_address TEXT   NOT NULL
);
