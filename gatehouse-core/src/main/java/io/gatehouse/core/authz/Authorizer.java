package io.gatehouse.core.authz;

import io.gatehouse.core.identity.Device;
import io.gatehouse.core.identity.ServiceIdentity;
import java.util.Optional;

/**
 * The one authorization decision point for service identities, used by every transport. Deny by
 * default: a caller may do something only if it is enabled and holds a grant for it that covers
 * the target device.
 */
public final class Authorizer {

  /** May {@code caller} use {@code permission} at all (for calls that name no device)? */
  public Decision check(ServiceIdentity caller, Permission permission) {
    if (!caller.isEnabled()) {
      return new Decision.Deny("service identity '" + caller.name() + "' is " + caller.status().wireName(), null);
    }
    Optional<Grant> grant = grantFor(caller, permission);
    if (grant.isEmpty()) {
      return missing(caller, permission);
    }
    return Decision.ALLOW;
  }

  /**
   * May {@code caller} use {@code permission} on {@code device}? A scoped grant must cover the
   * device; an unscoped one covers all.
   */
  public Decision check(ServiceIdentity caller, Permission permission, Device device) {
    Decision general = check(caller, permission);
    if (!general.allowed()) {
      return general;
    }
    Grant grant = grantFor(caller, permission).orElseThrow();
    if (!grant.covers(device)) {
      return new Decision.Deny("service identity '" + caller.name() + "' holds " + permission.wireName()
          + " only for some devices, and '" + device.id() + "' is not among them", permission);
    }
    return Decision.ALLOW;
  }

  /** For calls that must see every device (listing the whole registry, for one). */
  public Decision checkUnscoped(ServiceIdentity caller, Permission permission) {
    Decision general = check(caller, permission);
    if (!general.allowed()) {
      return general;
    }
    if (grantFor(caller, permission).orElseThrow().isScoped()) {
      return new Decision.Deny("service identity '" + caller.name() + "' holds " + permission.wireName()
          + " only for some devices; this call needs it for all", permission);
    }
    return Decision.ALLOW;
  }

  private static Optional<Grant> grantFor(ServiceIdentity caller, Permission permission) {
    return caller.grants().stream().filter(g -> g.permission() == permission).findFirst();
  }

  private static Decision missing(ServiceIdentity caller, Permission permission) {
    return new Decision.Deny("service identity '" + caller.name() + "' lacks the permission "
        + permission.wireName(), permission);
  }
}
