package io.gatehouse.store;

import io.gatehouse.core.identity.Device;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Devices and field gateways. Implementations encrypt symmetric keys at rest and assign a fresh
 * etag and update time on every write; {@code ifMatch} makes a write conditional on the etag the
 * caller last read ({@code null} or {@code "*"}: unconditional). A write given an {@link AuditLine}
 * commits that line with the change, in one transaction.
 */
public interface DeviceStore {
  /** @throws io.gatehouse.core.error.AlreadyExistsException if the id is taken */
  Device create(Device device, AuditLine<Device> audit);

  /** Without an audit line. */
  default Device create(Device device) {
    return create(device, AuditLine.none());
  }

  Optional<Device> find(String id);

  /**
   * @throws io.gatehouse.core.error.NotFoundException if there is no such device
   * @throws io.gatehouse.core.error.PreconditionFailedException if {@code ifMatch} is stale
   */
  Device replace(Device device, String ifMatch, AuditLine<Device> audit);

  /** Without an audit line. */
  default Device replace(Device device, String ifMatch) {
    return replace(device, ifMatch, AuditLine.none());
  }

  /** Same exceptions as {@link #replace}; the line is given the id. */
  void delete(String id, String ifMatch, AuditLine<String> audit);

  /** Without an audit line. */
  default void delete(String id, String ifMatch) {
    delete(id, ifMatch, AuditLine.none());
  }

  Page<Device> list(DeviceQuery query);

  /** How many devices name {@code parentId} as their parent. */
  long countChildren(String parentId);

  /** Every device that has a parent, without keys: what a gateway loads to check edges' claims. */
  List<LeafLink> leafLinks();

  /** Records that the device was seen; cheap, and does not change the etag. */
  void recordActivity(String id, Instant at);
}
