package io.gatehouse.core.crypto;

import io.gatehouse.core.identity.Authentication;
import java.security.SecureRandom;
import java.util.Base64;

/** Fresh 256-bit keys from a {@link SecureRandom}, base64 as Azure's connection strings carry them. */
public final class SymmetricKeyFactory {
  public static final int KEY_BYTES = 32;
  private final SecureRandom random;

  public SymmetricKeyFactory(SecureRandom random) {
    this.random = random;
  }

  public String newKey() {
    byte[] bytes = new byte[KEY_BYTES];
    random.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  public Authentication.SymmetricKeys newPair() {
    return new Authentication.SymmetricKeys(newKey(), newKey());
  }
}
