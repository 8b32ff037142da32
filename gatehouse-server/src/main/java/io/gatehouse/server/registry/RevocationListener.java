package io.gatehouse.server.registry;

/**
 * Told, after the change is committed, that a device may no longer be connected (disabled,
 * quarantined, deleted), so live sessions end at once rather than at their next credential check.
 */
@FunctionalInterface
public interface RevocationListener {
  void revoked(String deviceId);
}
