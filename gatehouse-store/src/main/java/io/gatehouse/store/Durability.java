package io.gatehouse.store;

/**
 * How soon a committed change must be on disk. Either way it is committed and visible to every
 * later read before the call returns, and survives a crash of the gateway process (the operating
 * system holds what was written); the difference is a loss of power.
 */
public enum Durability {
  /**
   * On disk (fsync'd) before the call returns. For everything whose success is told to someone: a
   * message accepted from a sender or a device, a registry change, an answer over HTTPS.
   */
  IMMEDIATE,
  /**
   * Written without an fsync of its own; on disk with the next immediate commit, which syncs the
   * same log, or the next checkpoint. Only for steps that nobody is told about and whose loss in a
   * power failure can only make a message be delivered again: an MQTT delivery's lock and its
   * settlement on PUBACK (the gateway answers a PUBACK with nothing), devices' last-seen times.
   */
  DEFERRED
}
