package io.gatehouse.store;

/**
 * Everything the service gateway keeps. One implementation per engine (SQLite now, PostgreSQL
 * later); callers see only these interfaces. Methods block: call them from virtual threads or
 * other blocking contexts, never from a network event loop.
 */
public interface GatehouseStore extends AutoCloseable {
  DeviceStore devices();

  ServiceIdentityStore services();

  CaCertificateStore caCertificates();

  AuditStore audit();

  /** Cloud-to-device inboxes, in the same database as the registry: deleting a device purges its inbox. */
  Inbox inbox();

  /** The latest posture report of each field gateway; deleting the edge deletes it. */
  EdgePostureStore edgePostures();

  /** Provisioning enrollments (individual and group). */
  EnrollmentStore enrollments();

  /** The provisioning service's ID scope, registration records and used register tokens. */
  RegistrationStore registrations();

  /** Flushes pending writes and releases the database. Idempotent. */
  @Override
  void close();
}
