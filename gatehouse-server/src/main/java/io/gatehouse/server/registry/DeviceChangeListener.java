package io.gatehouse.server.registry;

import io.gatehouse.core.identity.Device;

/**
 * Told after a device change is committed, before the caller hears "done", so that in-memory views
 * of the registry (which leaves an edge may speak for) never lag behind what the API reported.
 */
public interface DeviceChangeListener {
  /** Created, replaced, enabled, disabled, quarantined or re-keyed: {@code device} is the state now stored. */
  void saved(Device device);

  void deleted(String deviceId);
}
