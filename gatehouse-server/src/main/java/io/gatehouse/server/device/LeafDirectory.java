package io.gatehouse.server.device;

import io.gatehouse.core.identity.Device;
import io.gatehouse.core.identity.IdentityStatus;
import io.gatehouse.server.registry.DeviceChangeListener;
import io.gatehouse.store.DeviceStore;
import io.gatehouse.store.LeafLink;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which field gateway each leaf device belongs to, and whether the leaf is enabled: the allow-list
 * checked for every message an edge carries. Held in memory, because the check runs on network
 * event loops for every message and must not wait for the database; loaded once at start and kept
 * current by the registry, which reports each committed change before it answers its caller, so a
 * leaf disabled through the API is refused from the next message on.
 *
 * <p>Holds about a hundred bytes per leaf (devices without a parent are not kept). Of two reports
 * of the same leaf, the one with the later update time wins, so concurrent registry writes cannot
 * leave an older state behind.
 */
public final class LeafDirectory implements DeviceChangeListener {
  private final ConcurrentHashMap<String, LeafLink> leaves = new ConcurrentHashMap<>();

  /** A directory of every leaf in {@code devices}. */
  public static LeafDirectory load(DeviceStore devices) {
    LeafDirectory directory = new LeafDirectory();
    devices.leafLinks().forEach(directory::put);
    return directory;
  }

  /** The leaf {@code leafId}, if it exists and has a parent. */
  public Optional<LeafLink> leaf(String leafId) {
    return Optional.ofNullable(leaves.get(leafId));
  }

  /**
   * Why {@code edgeId} may not speak for {@code leafId}, or empty if it may: the leaf must exist,
   * be that edge's child, and be enabled.
   */
  public Optional<String> refusal(String edgeId, String leafId) {
    LeafLink link = leaves.get(leafId);
    if (link == null) {
      return Optional.of("'" + leafId + "' is not a registered leaf device with a parent");
    }
    if (!link.parentId().equals(edgeId)) {
      return Optional.of("leaf device '" + leafId + "' is not a child of edge '" + edgeId + "'");
    }
    if (link.status() != IdentityStatus.ENABLED) {
      return Optional.of("leaf device '" + leafId + "' is " + link.status().wireName());
    }
    return Optional.empty();
  }

  public int size() {
    return leaves.size();
  }

  @Override
  public void saved(Device device) {
    Instant updated = device.updatedAt() == null ? Instant.EPOCH : device.updatedAt();
    if (device.parentId() == null) {
      leaves.computeIfPresent(device.id(), (id, old) -> old.updatedAt().isAfter(updated) ? old : null);
    } else {
      put(new LeafLink(device.id(), device.parentId(), device.status(), updated));
    }
  }

  @Override
  public void deleted(String deviceId) {
    leaves.remove(deviceId);
  }

  private void put(LeafLink link) {
    leaves.merge(link.leafId(), link, (old, now) -> old.updatedAt().isAfter(now.updatedAt()) ? old : now);
  }
}
