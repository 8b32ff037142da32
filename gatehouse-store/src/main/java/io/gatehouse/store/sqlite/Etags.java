package io.gatehouse.store.sqlite;

import io.gatehouse.core.error.PreconditionFailedException;
import java.util.Base64;
import java.util.random.RandomGenerator;

/** Fresh etags, and the check of a caller's {@code If-Match} against the stored one. */
final class Etags {
  private final RandomGenerator random;

  /** {@code random} should be a SecureRandom: a guessable etag would let a stale writer win a race on purpose. */
  Etags(RandomGenerator random) {
    this.random = random;
  }

  /** 96 random bits, base64url: 16 characters safe in an HTTP header. */
  String next() {
    byte[] bytes = new byte[12];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static boolean unconditional(String ifMatch) {
    return ifMatch == null || ifMatch.equals("*");
  }

  /** @throws PreconditionFailedException if {@code ifMatch} names an etag other than {@code current} */
  static void check(String what, String ifMatch, String current) {
    if (!unconditional(ifMatch) && !ifMatch.equals(current)) {
      throw new PreconditionFailedException(what + " has changed since it was read (etag '" + ifMatch
          + "' is stale); read it again and retry");
    }
  }
}
