package io.gatehouse.device.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.device.keys.InsecureSoftwareKeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SessionTokenTest {
  private static SessionToken signedAt(String instant, Duration ttl) {
    try (InsecureSoftwareKeyStore keys = InsecureSoftwareKeyStore.create(new byte[32], new SecureRandom())) {
      Clock clock = Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
      return SessionToken.sign(new DeviceIdentity("hub.example", "dev-1", keys, clock), ttl);
    }
  }

  @Test
  void anHourLongTokenIsRenewedAt85Percent() {
    SessionToken token = signedAt("2026-01-01T00:00:00Z", Duration.ofHours(1));
    assertThat(token.expiry()).isEqualTo(Instant.parse("2026-01-01T01:00:00Z"));
    assertThat(token.renewAt()).isEqualTo(Instant.parse("2026-01-01T00:51:00Z"));
    assertThat(token.value()).contains("se=" + token.expiry().getEpochSecond()).startsWith("SharedAccessSignature ");
  }

  @Test
  void aShortTokenKeepsTwoSecondsOfMarginFromTheExpiryItCarries() {
    // se drops the fraction: signed at .900 with 5 s, it expires 4.1 s later; 85 % would leave 0.6 s
    SessionToken token = signedAt("2026-01-01T00:00:00.900Z", Duration.ofSeconds(5));
    assertThat(token.expiry()).isEqualTo(Instant.parse("2026-01-01T00:00:05Z"));
    assertThat(token.renewAt()).isEqualTo(Instant.parse("2026-01-01T00:00:03Z"));
  }

  @Test
  void neverBeforeHalfItsLife() {
    SessionToken token = signedAt("2026-01-01T00:00:00Z", Duration.ofSeconds(3));
    assertThat(token.renewAt()).isEqualTo(Instant.parse("2026-01-01T00:00:01.500Z"));
  }

  @Test
  void itsTextNeverShowsTheToken() {
    assertThat(signedAt("2026-01-01T00:00:00Z", Duration.ofHours(1)).toString()).doesNotContain("sig=");
  }
}
