package io.gatehouse.cli.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.error.InvalidInputException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TtlTest {
  @ParameterizedTest
  @CsvSource({"90s, 90", "30m, 1800", "1h, 3600", "7d, 604800", "3600, 3600", "60, 60", "1m, 60", "365d, 31536000",
      "' 2h ', 7200"})
  void acceptsSecondsAndUnits(String text, long seconds) {
    assertThat(Ttl.parse(text)).isEqualTo(Duration.ofSeconds(seconds));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "h", "abc", "1y", "1.5h", "-5", "1 h", "1H", "2w", "1h30m", "9999999999999"})
  void refusesWhatIsNotALifetime(String text) {
    assertThatThrownBy(() -> Ttl.parse(text))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("use a number of seconds or a number followed by s, m, h or d, e.g. 90s, 30m, 1h, 7d");
  }

  @Test
  void lifetimesUnderOneMinuteAreUsageErrorsNotServerRefusals() {
    assertThatThrownBy(() -> Ttl.parse("30s")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("minimum lifetime of 1m");
  }

  @Test
  void refusesZero() {
    assertThatThrownBy(() -> Ttl.parse("0s")).hasMessageContaining("already expired");
  }

  @ParameterizedTest
  @ValueSource(strings = {"366d", "8761h", "31536001", "999999999999d"})
  void refusesMoreThanAYear(String text) {
    assertThatThrownBy(() -> Ttl.parse(text)).hasMessageContaining("longer than the maximum lifetime of 365d");
  }
}
