package io.gatehouse.edge.pipeline;

import java.util.Arrays;

/**
 * The secret behind device pseudonyms. Keep it stable to keep pseudonyms stable; keep it on the edge
 * so that pseudonyms cannot be reversed upstream by trying known device ids.
 */
public final class PseudonymKey {
  public static final int MIN_BYTES = 16;

  private final byte[] secret;

  private PseudonymKey(byte[] secret) {
    this.secret = secret;
  }

  public static PseudonymKey of(byte[] secret) {
    if (secret == null || secret.length < MIN_BYTES) {
      throw new IllegalArgumentException("a pseudonym key needs at least " + MIN_BYTES + " bytes (32 random bytes recommended), got "
          + (secret == null ? 0 : secret.length));
    }
    return new PseudonymKey(secret.clone());
  }

  byte[] bytes() {
    return secret.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PseudonymKey key && Arrays.equals(secret, key.secret);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(secret);
  }

  @Override
  public String toString() {
    return "PseudonymKey[redacted]";
  }
}
