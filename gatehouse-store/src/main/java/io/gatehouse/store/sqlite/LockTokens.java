package io.gatehouse.store.sqlite;

import java.util.Base64;
import java.util.random.RandomGenerator;

/**
 * Lock tokens of inbox messages (the HTTPS ETag). Whoever holds one may complete, abandon or reject
 * the message, so they must not be guessable: 128 random bits.
 */
final class LockTokens {
  private final RandomGenerator random;

  /** {@code random} should be a SecureRandom. */
  LockTokens(RandomGenerator random) {
    this.random = random;
  }

  /** 22 base64url characters, safe in a URL path and an HTTP header. */
  String next() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
