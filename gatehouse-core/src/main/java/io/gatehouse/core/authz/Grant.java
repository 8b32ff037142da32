package io.gatehouse.core.authz;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.identity.Device;
import io.gatehouse.core.identity.IdentityIds;
import io.gatehouse.core.identity.Tags;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One permission, optionally narrowed to some devices. A scoped grant covers a device whose id is
 * listed in {@code deviceIds} or that carries one of the {@code tags} (same key and value). An
 * empty scope covers every device.
 */
public record Grant(Permission permission, Set<String> deviceIds, Map<String, String> tags) {
  public static final int MAX_SCOPE_ENTRIES = 1000;

  public Grant {
    Objects.requireNonNull(permission, "permission");
    deviceIds = deviceIds == null ? Set.of() : java.util.Collections.unmodifiableSet(new TreeSet<>(deviceIds));
    tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(tags));
    if (deviceIds.size() + tags.size() > MAX_SCOPE_ENTRIES) {
      throw new InvalidInputException("a grant's scope may name at most " + MAX_SCOPE_ENTRIES + " devices and tags");
    }
    deviceIds.forEach(id -> IdentityIds.requireValid("scoped device id", id));
    tags.keySet().forEach(Tags::requireKey);
    boolean scoped = !deviceIds.isEmpty() || !tags.isEmpty(); // fields are not assigned yet in here
    if (scoped && !permission.scopable()) {
      throw new InvalidInputException(permission.wireName()
          + " cannot be scoped to devices or tags; only messages.send and telemetry.read can");
    }
  }

  public static Grant unscoped(Permission permission) {
    return new Grant(permission, Set.of(), Map.of());
  }

  public boolean isScoped() {
    return !deviceIds.isEmpty() || !tags.isEmpty();
  }

  public boolean covers(Device device) {
    if (!isScoped()) {
      return true;
    }
    if (deviceIds.contains(device.id())) {
      return true;
    }
    return tags.entrySet().stream()
        .anyMatch(t -> t.getValue().equals(device.tags().get(t.getKey())));
  }

  /** Validates a list of grants: one grant per permission, so scopes are never ambiguous. */
  public static List<Grant> copyValid(List<Grant> grants) {
    if (grants == null) {
      return List.of();
    }
    EnumSet<Permission> seen = EnumSet.noneOf(Permission.class);
    List<Grant> copy = new ArrayList<>(grants.size());
    for (Grant grant : grants) {
      Objects.requireNonNull(grant, "grant");
      if (!seen.add(grant.permission())) {
        throw new InvalidInputException("permission " + grant.permission().wireName()
            + " is granted twice; merge the scopes into one grant");
      }
      copy.add(grant);
    }
    copy.sort(java.util.Comparator.comparing(Grant::permission));
    return List.copyOf(copy);
  }
}
