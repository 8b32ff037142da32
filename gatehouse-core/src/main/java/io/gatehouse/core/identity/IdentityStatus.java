package io.gatehouse.core.identity;

import java.util.Locale;

/** Only {@link #ENABLED} identities may authenticate. */
public enum IdentityStatus {
  ENABLED,
  DISABLED,
  /** Suspected compromised: refused like a disabled identity, and flagged for investigation. */
  QUARANTINED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static IdentityStatus fromWire(String value) {
    return WireEnums.parse(IdentityStatus.class, "status", value);
  }
}
