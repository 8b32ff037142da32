-- Gatehouse registry: devices, service identities, CA certificates.
--
-- Portable to PostgreSQL on purpose: TEXT, BIGINT, CHECK, foreign keys and IF NOT EXISTS mean
-- the same there. The one difference: BLOB columns become BYTEA. Times are epoch milliseconds
-- (UTC); ids compare byte-wise (ASCII only), which in PostgreSQL needs COLLATE "C".
-- Symmetric keys are stored only as SecretBox ciphertext (*_sealed), never in plaintext.

CREATE TABLE devices (
  id                   TEXT   NOT NULL PRIMARY KEY,
  kind                 TEXT   NOT NULL CHECK (kind IN ('device', 'edge')),
  status               TEXT   NOT NULL CHECK (status IN ('enabled', 'disabled', 'quarantined')),
  status_reason        TEXT,
  auth_type            TEXT   NOT NULL CHECK (auth_type IN ('sas', 'x509-thumbprint', 'x509-ca')),
  primary_key_sealed   BLOB,
  secondary_key_sealed BLOB,
  primary_thumbprint   TEXT,
  secondary_thumbprint TEXT,
  -- No ON DELETE: a field gateway with children cannot be deleted from under them.
  parent_id            TEXT   REFERENCES devices (id),
  etag                 TEXT   NOT NULL,
  created_at           BIGINT NOT NULL,
  updated_at           BIGINT NOT NULL,
  last_activity_at     BIGINT,
  CHECK (auth_type <> 'sas' OR (primary_key_sealed IS NOT NULL AND secondary_key_sealed IS NOT NULL)),
  CHECK (auth_type <> 'x509-thumbprint' OR primary_thumbprint IS NOT NULL)
);

-- Listing filters: each index ends with id so that "filter, ORDER BY id, LIMIT" is an index range scan.
CREATE INDEX devices_by_parent ON devices (parent_id, id);
CREATE INDEX devices_by_status ON devices (status, id);
CREATE INDEX devices_by_kind ON devices (kind, id);

CREATE TABLE device_tags (
  device_id TEXT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  tag_key   TEXT NOT NULL,
  tag_value TEXT NOT NULL,
  PRIMARY KEY (device_id, tag_key)
);

CREATE INDEX device_tags_by_tag ON device_tags (tag_key, tag_value, device_id);

CREATE TABLE services (
  name                 TEXT   NOT NULL PRIMARY KEY,
  status               TEXT   NOT NULL CHECK (status IN ('enabled', 'disabled', 'quarantined')),
  primary_key_sealed   BLOB   NOT NULL,
  secondary_key_sealed BLOB   NOT NULL,
  etag                 TEXT   NOT NULL,
  created_at           BIGINT NOT NULL,
  updated_at           BIGINT NOT NULL
);

-- One row per granted permission; its scope (devices and tags it is narrowed to) in the next table.
CREATE TABLE service_grants (
  service_name TEXT NOT NULL REFERENCES services (name) ON DELETE CASCADE,
  permission   TEXT NOT NULL,
  PRIMARY KEY (service_name, permission)
);

CREATE TABLE service_grant_scopes (
  service_name TEXT NOT NULL,
  permission   TEXT NOT NULL,
  scope_type   TEXT NOT NULL CHECK (scope_type IN ('device', 'tag')),
  -- the device id, or the tag key
  scope_key    TEXT NOT NULL,
  -- the tag value; NULL for a device
  scope_value  TEXT,
  PRIMARY KEY (service_name, permission, scope_type, scope_key),
  FOREIGN KEY (service_name, permission) REFERENCES service_grants (service_name, permission) ON DELETE CASCADE
);

CREATE TABLE ca_certificates (
  name              TEXT   NOT NULL PRIMARY KEY,
  certificate_der   BLOB   NOT NULL,
  sha256_thumbprint TEXT   NOT NULL UNIQUE,
  created_at        BIGINT NOT NULL
);

-- Small facts about the store itself, e.g. the check value that proves the master key is right.
CREATE TABLE store_meta (
  name  TEXT NOT NULL PRIMARY KEY,
  value BLOB NOT NULL
);
