package io.gatehouse.core.sas;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Checks a parsed token against the resource it is used for and the keys that may have signed it.
 * Every candidate key is tried, always all of them, and compared in constant time.
 */
public final class SasVerifier {
  /** Azure IoT Hub's allowance for clocks that disagree. */
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(5);
  /** Tokens that claim to live longer than this are refused as future-dated. */
  public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofDays(366);

  private final Clock clock;
  private final Duration clockSkew;
  private final Duration maxLifetime;

  public SasVerifier(Clock clock, Duration clockSkew, Duration maxLifetime) {
    this.clock = clock;
    this.clockSkew = clockSkew;
    this.maxLifetime = maxLifetime;
  }

  public SasVerifier(Clock clock) {
    this(clock, DEFAULT_CLOCK_SKEW, DEFAULT_MAX_LIFETIME);
  }

  /**
   * @param resource the resource the call acts on, e.g. {@code host/devices/dev1}; the token's
   *     {@code sr} must equal it or be a prefix of it by whole path segments
   * @param keys candidate keys, e.g. the primary and secondary key of the identity
   * @return the index of the key that signed the token
   */
  public int verify(SasToken token, String resource, List<byte[]> keys) throws SasException {
    long now = clock.instant().getEpochSecond();
    if (token.expiry() + clockSkew.toSeconds() < now) {
      throw new SasException(SasException.Reason.EXPIRED, "SAS token expired at "
          + java.time.Instant.ofEpochSecond(token.expiry()) + "; create a new token");
    }
    if (token.expiry() > now + maxLifetime.toSeconds() + clockSkew.toSeconds()) {
      throw new SasException(SasException.Reason.TOO_FAR_IN_FUTURE, "SAS token expiry "
          + java.time.Instant.ofEpochSecond(token.expiry()) + " is more than " + maxLifetime.toDays()
          + " days ahead; use a shorter lifetime");
    }
    if (!covers(token.resource(), resource)) {
      throw new SasException(SasException.Reason.WRONG_AUDIENCE,
          "SAS token is for '" + token.resource() + "', not for '" + resource + "'");
    }
    int match = -1;
    for (int i = 0; i < keys.size(); i++) {
      byte[] expected = SasSigner.mac(keys.get(i), token.resourceAsSent(), token.expiryAsSent());
      if (MessageDigest.isEqual(expected, token.signature()) && match < 0) {
        match = i;
      }
    }
    if (match < 0) {
      throw new SasException(SasException.Reason.BAD_SIGNATURE,
          "SAS token signature does not match any key of this identity");
    }
    return match;
  }

  /**
   * Segment-wise prefix: {@code host/devices} covers {@code host/devices/d1} but not
   * {@code host/devicesX}. The host name compares case-insensitively, the path exactly.
   */
  static boolean covers(String tokenResource, String resource) {
    String[] granted = trimSlashes(tokenResource).split("/", -1);
    String[] wanted = trimSlashes(resource).split("/", -1);
    if (granted.length > wanted.length) {
      return false;
    }
    if (!granted[0].toLowerCase(Locale.ROOT).equals(wanted[0].toLowerCase(Locale.ROOT))) {
      return false;
    }
    for (int i = 1; i < granted.length; i++) {
      if (!granted[i].equals(wanted[i])) {
        return false;
      }
    }
    return true;
  }

  private static String trimSlashes(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == '/') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == '/') {
      end--;
    }
    return s.substring(start, end);
  }
}
