package io.gatehouse.core.identity;

import java.util.Locale;

/** What an identity is. Devices and edges live in the device registry; services hold permissions. */
public enum IdentityKind {
  DEVICE,
  /** A field gateway: may speak for the leaf devices registered as its children. */
  EDGE,
  /** A back-end application or operator. */
  SERVICE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static IdentityKind fromWire(String value) {
    return WireEnums.parse(IdentityKind.class, "kind", value);
  }
}
