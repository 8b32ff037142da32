-- The provisioning service (Azure DPS-compatible): enrollments say who may provision and what they
-- become; registrations record what each registration id was assigned; used register tokens make
-- every SAS token good for one register call. Portable to PostgreSQL except BLOB (BYTEA there).
-- Times are epoch milliseconds (UTC). Symmetric keys are stored only as SecretBox ciphertext.

-- How a device came through provisioning; NULL for devices created through the service API.
ALTER TABLE devices ADD COLUMN provisioning_attestation TEXT;
ALTER TABLE devices ADD COLUMN provisioning_registration_id TEXT;
ALTER TABLE devices ADD COLUMN provisioning_enrollment TEXT;
ALTER TABLE devices ADD COLUMN provisioned_at BIGINT;

CREATE TABLE enrollments (
  kind                    TEXT   NOT NULL CHECK (kind IN ('individual', 'group')),
  -- an individual enrollment's (lower-case) registration id, or a group's own id
  id                      TEXT   NOT NULL,
  attestation_type        TEXT   NOT NULL CHECK (attestation_type IN ('symmetric-key', 'x509-thumbprint', 'x509-ca', 'tpm')),
  primary_key_sealed      BLOB,
  secondary_key_sealed    BLOB,
  primary_thumbprint      TEXT,
  secondary_thumbprint    TEXT,
  -- x509-ca: the name of a CA in ca_certificates. No foreign key: deleting a CA a group still names
  -- is allowed, and registrations under that group then fail with a message that says so.
  ca_name                 TEXT,
  -- tpm: the endorsement key's TPM2B_PUBLIC, and the maker's EK certificate when one was given
  endorsement_key         BLOB,
  ek_certificate_pem      TEXT,
  status                  TEXT   NOT NULL CHECK (status IN ('enabled', 'disabled')),
  device_id               TEXT,
  registration_id_pattern TEXT,
  -- encoded like inbox app_properties (ApplicationPropertiesCodec); no query looks inside
  initial_tags            BLOB,
  -- checked when a device registers, not here: an edge may be deleted while an enrollment names it
  parent_id               TEXT,
  reprovision_policy      TEXT   NOT NULL CHECK (reprovision_policy IN ('migrate', 'reset', 'never')),
  -- what provisioned identities become: devices, or field gateways
  device_kind             TEXT   NOT NULL CHECK (device_kind IN ('device', 'edge')),
  etag                    TEXT   NOT NULL,
  created_at              BIGINT NOT NULL,
  updated_at              BIGINT NOT NULL,
  PRIMARY KEY (kind, id),
  CHECK (attestation_type <> 'symmetric-key' OR (primary_key_sealed IS NOT NULL AND secondary_key_sealed IS NOT NULL)),
  CHECK (attestation_type <> 'x509-thumbprint' OR primary_thumbprint IS NOT NULL),
  CHECK (attestation_type <> 'x509-ca' OR ca_name IS NOT NULL),
  CHECK (attestation_type <> 'tpm' OR endorsement_key IS NOT NULL)
);

CREATE TABLE registrations (
  -- lower case: DPS registration ids compare case-insensitively
  registration_id TEXT   NOT NULL PRIMARY KEY,
  device_id       TEXT   NOT NULL,
  enrollment_kind TEXT   NOT NULL,
  enrollment_id   TEXT   NOT NULL,
  attestation     TEXT   NOT NULL,
  substatus       TEXT   NOT NULL,
  operation_id    TEXT   NOT NULL,
  -- SHA-256 of the credential the last register call proved itself with (its SAS token, or its
  -- client certificate): operation polls must come with the same credential
  credential_hash TEXT   NOT NULL,
  etag            TEXT   NOT NULL,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL
);

CREATE INDEX registrations_by_enrollment ON registrations (enrollment_kind, enrollment_id, registration_id);

-- SHA-256 of each SAS token a register call was accepted with, until the token expires.
CREATE TABLE provisioning_used_tokens (
  token_hash TEXT   NOT NULL PRIMARY KEY,
  expires_at BIGINT NOT NULL
);

CREATE INDEX provisioning_used_tokens_by_expiry ON provisioning_used_tokens (expires_at);

-- The built-in operator holds every permission; on an installation that predates enrollments it
-- gets the two new ones, but only while it still holds admin (an operator an administrator has
-- narrowed stays narrowed).
INSERT INTO service_grants (service_name, permission)
  SELECT service_name, 'enrollments.read' FROM service_grants WHERE service_name = 'operator' AND permission = 'admin';
INSERT INTO service_grants (service_name, permission)
  SELECT service_name, 'enrollments.write' FROM service_grants WHERE service_name = 'operator' AND permission = 'admin';
