package io.gatehouse.server.registry;

import io.gatehouse.core.crypto.SymmetricKeyFactory;
import io.gatehouse.core.identity.Authentication.SymmetricKeys;
import io.gatehouse.core.identity.WireEnums;

/**
 * Key changes with an overlap: {@link #ROTATE} makes a fresh key primary and keeps the old primary
 * valid as secondary, so devices move to the new key while the old one still works.
 */
public enum KeyOperation {
  PRIMARY,
  SECONDARY,
  SWAP,
  ROTATE;

  public static KeyOperation fromWire(String value) {
    return WireEnums.parse(KeyOperation.class, "key", value);
  }

  public SymmetricKeys apply(SymmetricKeys keys, SymmetricKeyFactory factory) {
    return switch (this) {
      case PRIMARY -> new SymmetricKeys(factory.newKey(), keys.secondaryKey());
      case SECONDARY -> new SymmetricKeys(keys.primaryKey(), factory.newKey());
      case SWAP -> new SymmetricKeys(keys.secondaryKey(), keys.primaryKey());
      case ROTATE -> new SymmetricKeys(factory.newKey(), keys.primaryKey());
    };
  }
}
