package io.gatehouse.core.sas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test vectors of azure-iot-facts.md §1.2, checked against the real Java SDK 2.5.0 and openssl. */
class SasTokenTest {
  private static final byte[] KEY = HexFormat.of().parseHex(
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  private static final Clock AT_SIGNING = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L - 60), ZoneOffset.UTC);

  @Test
  void signsRawResourceLikeTheJavaSdk() {
    assertThat(b64(SasSigner.mac(KEY, "myhub.example.net/devices/dev1", "1700000000")))
        .isEqualTo("mhXR0huLy86eC4M6hlq+BPCc4GzQB6y69Hg/FikE1UM=");
  }

  @Test
  void signsEncodedResourceLikeTheCSdk() {
    assertThat(b64(SasSigner.mac(KEY, "myhub.example.net%2Fdevices%2Fdev1", "1700000000")))
        .isEqualTo("u3FQEOHSiBPb4GhYS9uWKXLwfPSzLnrFP82EgL08r5Y=");
  }

  @Test
  void signsDpsResource() {
    assertThat(b64(SasSigner.mac(KEY, "0ne00000001%2Fregistrations%2Fdev-01", "1700000000")))
        .isEqualTo("Fy36FEL4BY/3156fdJDzvgKjWrCrZUV7C05/yk4+Qgk=");
  }

  @Test
  void anExternalSignerMakesTheSameTokenAsTheKeyInMemory() throws Exception {
    Instant expiry = Instant.ofEpochSecond(1_700_000_000L);
    List<String> signed = new ArrayList<>();
    SasSigner.HmacSha256 external = data -> {
      signed.add(new String(data, StandardCharsets.UTF_8));
      return SasSigner.mac(KEY, "myhub.example.net%2Fdevices%2Fdev1", "1700000000");
    };
    assertThat(SasSigner.token("myhub.example.net/devices/dev1", external, expiry, null))
        .isEqualTo(SasSigner.token("myhub.example.net/devices/dev1", KEY, expiry, null))
        .contains("sig=u3FQEOHSiBPb4GhYS9uWKXLwfPSzLnrFP82EgL08r5Y%3D");
    assertThat(signed).containsExactly("myhub.example.net%2Fdevices%2Fdev1\n1700000000");
  }

  @Test
  void refusesASignerThatReturnsSomethingOtherThanAnHmacSha256() {
    assertThatThrownBy(() -> SasSigner.token("hub/devices/d1", data -> new byte[20], Instant.ofEpochSecond(1), null))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("20 bytes instead of 32");
  }

  @Test
  void acceptsTheTokenTheJavaSdkProduced() throws Exception {
    SasToken token = SasToken.parse("SharedAccessSignature sig=mhXR0huLy86eC4M6hlq%2BBPCc4GzQB6y69Hg%2FFikE1UM%3D"
        + "&se=1700000000&sr=myhub.example.net/devices/dev1");
    assertThat(token.resource()).isEqualTo("myhub.example.net/devices/dev1");
    assertThat(token.keyNameIfAny()).isEmpty();
    assertThat(new SasVerifier(AT_SIGNING).verify(token, "myhub.example.net/devices/dev1", List.of(KEY))).isZero();
  }

  @Test
  void acceptsEncodedResourceWithEmptySknAndAnyFieldOrder() throws Exception {
    SasToken token = SasToken.parse("SharedAccessSignature SR=myhub.example.net%2Fdevices%2Fdev1"
        + "&SIG=u3FQEOHSiBPb4GhYS9uWKXLwfPSzLnrFP82EgL08r5Y%3D&se=1700000000&skn=");
    assertThat(token.keyNameIfAny()).isEmpty();
    assertThat(new SasVerifier(AT_SIGNING).verify(token, "MyHub.example.net/devices/dev1", List.of(KEY))).isZero();
  }

  @Test
  void triesSecondaryKeyAfterPrimary() throws Exception {
    byte[] other = new byte[32];
    SasToken token = SasToken.parse(SasSigner.token("hub.example.net/devices/d1", KEY, Instant.ofEpochSecond(1_700_000_000L), null));
    assertThat(new SasVerifier(AT_SIGNING).verify(token, "hub.example.net/devices/d1", List.of(other, KEY))).isEqualTo(1);
  }

  @Test
  void refusesWrongKey() throws Exception {
    SasToken token = SasToken.parse(SasSigner.token("hub.example.net/devices/d1", KEY, Instant.ofEpochSecond(1_700_000_000L), null));
    assertThatThrownBy(() -> new SasVerifier(AT_SIGNING).verify(token, "hub.example.net/devices/d1", List.of(new byte[32])))
        .isInstanceOfSatisfying(SasException.class, e -> assertThat(e.reason()).isEqualTo(SasException.Reason.BAD_SIGNATURE));
  }

  @Test
  void refusesExpiredTokenAfterTheFiveMinuteSkew() throws Exception {
    SasToken token = SasToken.parse(SasSigner.token("hub.example.net", KEY, Instant.ofEpochSecond(1_700_000_000L), "svc"));
    Clock withinSkew = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L + 299), ZoneOffset.UTC);
    Clock pastSkew = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L + 301), ZoneOffset.UTC);
    assertThat(new SasVerifier(withinSkew).verify(token, "hub.example.net", List.of(KEY))).isZero();
    assertThatThrownBy(() -> new SasVerifier(pastSkew).verify(token, "hub.example.net", List.of(KEY)))
        .isInstanceOfSatisfying(SasException.class, e -> {
          assertThat(e.reason()).isEqualTo(SasException.Reason.EXPIRED);
          assertThat(e.getMessage()).contains("expired at 2023-11-14T22:13:20Z");
        });
  }

  @Test
  void refusesFutureDatedToken() throws Exception {
    Instant farAway = AT_SIGNING.instant().plusSeconds(400L * 24 * 3600);
    SasToken token = SasToken.parse(SasSigner.token("hub.example.net", KEY, farAway, "svc"));
    assertThatThrownBy(() -> new SasVerifier(AT_SIGNING).verify(token, "hub.example.net", List.of(KEY)))
        .isInstanceOfSatisfying(SasException.class,
            e -> assertThat(e.reason()).isEqualTo(SasException.Reason.TOO_FAR_IN_FUTURE));
  }

  @Test
  void audienceIsMatchedBySegmentNotByTextPrefix() throws Exception {
    SasToken token = SasToken.parse(SasSigner.token("hub.example.net/devices/dev1", KEY, Instant.ofEpochSecond(1_700_000_000L), null));
    SasVerifier verifier = new SasVerifier(AT_SIGNING);
    assertThatThrownBy(() -> verifier.verify(token, "hub.example.net/devices/dev10", List.of(KEY)))
        .isInstanceOfSatisfying(SasException.class, e -> assertThat(e.reason()).isEqualTo(SasException.Reason.WRONG_AUDIENCE));
    assertThatThrownBy(() -> verifier.verify(token, "other.example.net/devices/dev1", List.of(KEY)))
        .isInstanceOfSatisfying(SasException.class, e -> assertThat(e.reason()).isEqualTo(SasException.Reason.WRONG_AUDIENCE));
    assertThat(SasVerifier.covers("hub.example.net/devices", "hub.example.net/devices/dev1")).isTrue();
    assertThat(SasVerifier.covers("hub.example.net/dev", "hub.example.net/devices/dev1")).isFalse();
  }

  @Test
  void rejectsMalformedTokensWithPreciseReasons() {
    assertMalformed(null, "no SAS token");
    assertMalformed("Bearer abc", "must start with 'SharedAccessSignature '");
    assertMalformed("SharedAccessSignature sr=a&se=1", "no 'sig' field");
    assertMalformed("SharedAccessSignature sr=a&sig=AAAA&se=1&sr=b", "appears twice");
    assertMalformed("SharedAccessSignature sr=a&sig=AAAA&se=1&foo=b", "unknown field 'foo'");
    assertMalformed("SharedAccessSignature sr=a&sig=AAAA&se=12x", "32 bytes");
    assertMalformed("SharedAccessSignature sr=a&sig=" + "A".repeat(43) + "%3D&se=12x", "whole seconds");
    assertMalformed("SharedAccessSignature sr=a&sig=%ZZ&se=1", "not well encoded");
    assertMalformed("SharedAccessSignature sr=a&novalue&se=1", "not of the form name=value");
    assertMalformed("SharedAccessSignature " + "x".repeat(5000), "at most 4096");
  }

  @Test
  void tokenStringNeverShowsTheSignature() throws Exception {
    SasToken token = SasToken.parse(SasSigner.token("hub.example.net", KEY, Instant.ofEpochSecond(1_700_000_000L), "svc"));
    assertThat(token.toString()).doesNotContain("sig").contains("svc");
  }

  private static void assertMalformed(String text, String expected) {
    assertThatThrownBy(() -> SasToken.parse(text))
        .isInstanceOfSatisfying(SasException.class, e -> {
          assertThat(e.reason()).isEqualTo(SasException.Reason.MALFORMED);
          assertThat(e.getMessage()).contains(expected);
        });
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
