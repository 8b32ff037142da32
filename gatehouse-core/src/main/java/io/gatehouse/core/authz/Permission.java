package io.gatehouse.core.authz;

import io.gatehouse.core.identity.WireEnums;
import java.util.Locale;

/**
 * What a service identity may do. There is no wildcard: {@link #ADMIN} manages service identities
 * and CA certificates, and implies nothing else.
 */
public enum Permission {
  REGISTRY_READ(false),
  REGISTRY_WRITE(false),
  MESSAGES_SEND(true),
  TELEMETRY_READ(true),
  AUDIT_READ(false),
  ADMIN(false),
  /** Read provisioning enrollments and registration records (never their keys). */
  ENROLLMENTS_READ(false),
  /** Create, change and delete provisioning enrollments; sees a symmetric key once, when it is created. */
  ENROLLMENTS_WRITE(false);

  private final boolean scopable;

  Permission(boolean scopable) {
    this.scopable = scopable;
  }

  /** Whether a grant of this permission may be narrowed to devices or tags. */
  public boolean scopable() {
    return scopable;
  }

  /** {@code registry.read}, {@code messages.send}, … */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '.');
  }

  public static Permission fromWire(String value) {
    return WireEnums.parse(Permission.class, "permission", value);
  }
}
