package io.gatehouse.server.registry;

import io.gatehouse.core.identity.Authentication.SymmetricKeys;
import io.gatehouse.core.identity.WireEnums;

/** Which of an identity's two keys to use. */
public enum KeySlot {
  PRIMARY,
  SECONDARY;

  public static KeySlot fromWire(String value) {
    return value == null ? PRIMARY : WireEnums.parse(KeySlot.class, "key", value);
  }

  public String pick(SymmetricKeys keys) {
    return this == PRIMARY ? keys.primaryKey() : keys.secondaryKey();
  }
}
