package io.gatehouse.edge.pipeline;

import static io.gatehouse.edge.pipeline.Readings.T0;
import static io.gatehouse.edge.pipeline.Readings.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrivacyStageTest {
  private static final PseudonymKey KEY = PseudonymKey.of("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
  private static final PseudonymKey OTHER_KEY = PseudonymKey.of("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII));

  private static PrivacySpec pseudonyms(Integer length) {
    return new PrivacySpec(null, null, null, true, length);
  }

  @Test
  void dropsFieldsCoarsensTimeAndRoundsValues() {
    PrivacyStage stage = PrivacyStage.withoutPseudonyms(new PrivacySpec(
        List.of("operator_name"), Duration.ofMinutes(1), Map.of("temperature", 0.5, "ratio", 0.1), null, null));

    Reading out = stage.apply(reading("leaf-1", T0.plusSeconds(59).plusMillis(999),
        "temperature", 21.26, "ratio", 0.2999, "operator_name", "Ann", "mode", "eco")).orElseThrow();

    assertThat(out.time()).isEqualTo(T0);
    assertThat(out.deviceId()).isEqualTo("leaf-1");
    assertThat(out.fields()).containsExactly(Map.entry("temperature", 21.5), Map.entry("ratio", 0.3), Map.entry("mode", "eco"));
  }

  @Test
  void roundsHalfUpToTheStep() {
    BigDecimal half = new BigDecimal("0.5");
    assertThat(PrivacyStage.roundToStep(21.25, half)).isEqualTo(21.5);
    assertThat(PrivacyStage.roundToStep(21.24, half)).isEqualTo(21.0);
    assertThat(PrivacyStage.roundToStep(-21.3, half)).isEqualTo(-21.5);
    assertThat(PrivacyStage.roundToStep(1234.0, new BigDecimal("100"))).isEqualTo(1200.0);
  }

  @Test
  void pseudonymsAreStablePerKeyAndDifferAcrossKeysAndDevices() {
    PrivacyStage stage = PrivacyStage.withPseudonyms(pseudonyms(null), KEY);
    PrivacyStage again = PrivacyStage.withPseudonyms(pseudonyms(null), KEY);
    PrivacyStage otherKey = PrivacyStage.withPseudonyms(pseudonyms(null), OTHER_KEY);

    String first = stage.apply(reading("boiler-1", T0, "t", 1.0)).orElseThrow().deviceId();

    assertThat(first).hasSize(PrivacySpec.DEFAULT_PSEUDONYM_LENGTH).matches("[0-9a-f]+").isNotEqualTo("boiler-1");
    assertThat(stage.apply(reading("boiler-1", T0.plusSeconds(1), "t", 2.0)).orElseThrow().deviceId()).isEqualTo(first);
    assertThat(again.apply(reading("boiler-1", T0, "t", 1.0)).orElseThrow().deviceId()).isEqualTo(first);
    assertThat(otherKey.apply(reading("boiler-1", T0, "t", 1.0)).orElseThrow().deviceId()).isNotEqualTo(first);
    assertThat(stage.apply(reading("boiler-2", T0, "t", 1.0)).orElseThrow().deviceId()).isNotEqualTo(first);
  }

  @Test
  void pseudonymLengthIsConfigurable() {
    PrivacyStage stage = PrivacyStage.withPseudonyms(pseudonyms(32), KEY);

    assertThat(stage.apply(reading("boiler-1", T0, "t", 1.0)).orElseThrow().deviceId()).hasSize(32);
    assertThatThrownBy(() -> pseudonyms(4)).hasMessageContaining("between 8 and 64");
  }

  @Test
  void pseudonymsNeedAKey() {
    assertThatThrownBy(() -> PrivacyStage.withoutPseudonyms(pseudonyms(null))).hasMessageContaining("no pseudonym key");
    assertThatThrownBy(() -> PseudonymKey.of(new byte[8])).hasMessageContaining("at least 16 bytes");
    byte[] secret = new byte[32];
    Arrays.fill(secret, (byte) 7);
    assertThat(PseudonymKey.of(secret).toString()).doesNotContain("7").contains("redacted");
  }

  @Test
  void aReadingLeftWithoutFieldsIsDropped() {
    PrivacyStage stage = PrivacyStage.withoutPseudonyms(new PrivacySpec(List.of("name"), null, null, null, null));

    assertThat(stage.apply(reading("leaf-1", T0, "name", "Ann"))).isEmpty();
  }

  @Test
  void configMustDoSomethingSensible() {
    assertThatThrownBy(() -> new PrivacySpec(null, null, null, null, null)).hasMessageContaining("nothing to do");
    assertThatThrownBy(() -> new PrivacySpec(null, null, Map.of("t", 0.0), null, null)).hasMessageContaining("positive");
    assertThatThrownBy(() -> new PrivacySpec(null, Duration.ofDays(2), null, null, null)).hasMessageContaining("coarsen-time");
  }
}
