package io.gatehouse.device.client;

import java.time.Duration;
import java.time.Instant;

/**
 * A SAS token and when to replace it. Both transports renew at 85 % of the token's lifetime, as
 * Azure's SDKs do, but at least {@link #MARGIN} before it expires (a busy machine needs time to
 * finish what is in flight and sign a new one) and not before half of it.
 */
record SessionToken(String value, Instant signedAt, Instant expiry) {
  static final double RENEW_AT = 0.85;
  static final Duration MARGIN = Duration.ofSeconds(2);

  /**
   * Signs a token for {@code ttl}. {@code se} has whole seconds, so the real lifetime is up to a
   * second shorter than the TTL, which matters for short TTLs: renewal is timed from the expiry the
   * token actually carries.
   */
  static SessionToken sign(DeviceIdentity identity, Duration ttl) {
    Instant signedAt = identity.clock().instant();
    Instant expiry = Instant.ofEpochSecond(signedAt.plus(ttl).getEpochSecond());
    return new SessionToken(identity.sasToken(expiry), signedAt, expiry);
  }

  Instant renewAt() {
    long lifetime = Duration.between(signedAt, expiry).toMillis();
    long renewAfter = Math.max(lifetime / 2, Math.min((long) (lifetime * RENEW_AT), lifetime - MARGIN.toMillis()));
    return signedAt.plusMillis(renewAfter);
  }

  @Override
  public String toString() {
    return "SessionToken[expiry=" + expiry + "]";
  }
}
