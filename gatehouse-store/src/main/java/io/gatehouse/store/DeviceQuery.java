package io.gatehouse.store;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.identity.IdentityKind;
import io.gatehouse.core.identity.IdentityStatus;

/**
 * Filters for listing devices; {@code null} means "any". Results come in id order.
 *
 * @param tagKey with {@code tagValue}: only devices carrying that tag
 * @param pageSize 1 to {@link #MAX_PAGE_SIZE}
 * @param continuationToken from the previous page, or {@code null} for the first
 */
public record DeviceQuery(IdentityKind kind, IdentityStatus status, String parentId, String tagKey, String tagValue,
    int pageSize, String continuationToken) {
  public static final int DEFAULT_PAGE_SIZE = 100;
  public static final int MAX_PAGE_SIZE = 1000;

  public DeviceQuery {
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new InvalidInputException("pageSize must be 1 to " + MAX_PAGE_SIZE + ", got " + pageSize);
    }
    if ((tagKey == null) != (tagValue == null)) {
      throw new InvalidInputException("a tag filter needs both a key and a value (tag=key:value)");
    }
  }

  public static DeviceQuery all() {
    return new DeviceQuery(null, null, null, null, null, DEFAULT_PAGE_SIZE, null);
  }
}
