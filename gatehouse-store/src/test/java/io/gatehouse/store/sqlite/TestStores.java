package io.gatehouse.store.sqlite;

import io.gatehouse.core.audit.AuditChain;
import io.gatehouse.core.crypto.MasterKey;
import io.gatehouse.core.crypto.SecretBox;
import io.gatehouse.core.identity.Authentication.SymmetricKeys;
import io.gatehouse.core.identity.Device;
import io.gatehouse.core.identity.IdentityKind;
import io.gatehouse.core.identity.IdentityStatus;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/** Opens stores on temporary files with a fixed master key. */
final class TestStores {
  static final MasterKey KEY = key((byte) 7);
  static final MasterKey OTHER_KEY = key((byte) 9);

  private TestStores() {}

  static MasterKey key(byte fill) {
    byte[] bytes = new byte[MasterKey.BYTES];
    Arrays.fill(bytes, fill);
    return new MasterKey(bytes);
  }

  static SecretBox box(MasterKey key) {
    return key.secretBox(new SecureRandom());
  }

  static AuditChain chain(MasterKey key) {
    return new AuditChain(key.derive("audit-chain"));
  }

  static SqliteStore open(Path file, Clock clock) {
    return open(file, clock, KEY);
  }

  static SqliteStore open(Path file, Clock clock, MasterKey key) {
    return SqliteStore.open(file, box(key), chain(key), clock);
  }

  /** A fresh random base64 key of 32 bytes. */
  static String newKey() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  static SymmetricKeys newKeys() {
    return new SymmetricKeys(newKey(), newKey());
  }

  static Device device(String id) {
    return new Device(id, IdentityKind.DEVICE, IdentityStatus.ENABLED, null, newKeys(), null, Map.of(), null, null,
        null, null);
  }
}
