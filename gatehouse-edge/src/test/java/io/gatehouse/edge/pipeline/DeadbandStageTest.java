package io.gatehouse.edge.pipeline;

import static io.gatehouse.edge.pipeline.Readings.T0;
import static io.gatehouse.edge.pipeline.Readings.at;
import static io.gatehouse.edge.pipeline.Readings.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeadbandStageTest {

  private static DeadbandStage absolute(double threshold, Duration maxSilence) {
    return new DeadbandStage(new DeadbandSpec("temperature", threshold, null, maxSilence));
  }

  @Test
  void theFirstValuePassesThenOnlyChangesBeyondTheThreshold() {
    DeadbandStage stage = absolute(0.5, null);

    assertThat(stage.apply(at(0, "temperature", 20.0))).isPresent();
    assertThat(stage.apply(at(1, "temperature", 20.5))).as("exactly the threshold is not more than it").isEmpty();
    assertThat(stage.apply(at(2, "temperature", 19.6))).isEmpty();
    assertThat(stage.apply(at(3, "temperature", 20.6))).isPresent();
  }

  @Test
  void measuresFromTheLastValuePassedNotTheLastSeen() {
    DeadbandStage stage = absolute(0.5, null);
    stage.apply(at(0, "temperature", 20.0));

    assertThat(stage.apply(at(1, "temperature", 20.3))).isEmpty();
    assertThat(stage.apply(at(2, "temperature", 20.6))).as("a slow drift still gets through").isPresent();
  }

  @Test
  void percentThresholdIsRelativeToTheLastPassedValue() {
    DeadbandStage stage = new DeadbandStage(new DeadbandSpec("temperature", null, 10.0, null));
    stage.apply(at(0, "temperature", 200.0));

    assertThat(stage.apply(at(1, "temperature", 219.0))).isEmpty();
    assertThat(stage.apply(at(2, "temperature", 221.0))).isPresent();
  }

  @Test
  void aValuePassesAnywayAfterMaxSilence() {
    DeadbandStage stage = absolute(0.5, Duration.ofMinutes(5));
    stage.apply(at(0, "temperature", 20.0));

    assertThat(stage.apply(at(299, "temperature", 20.0))).isEmpty();
    assertThat(stage.apply(at(300, "temperature", 20.0))).isPresent();
    assertThat(stage.apply(at(301, "temperature", 20.0))).as("silence counts from the last pass").isEmpty();
  }

  @Test
  void keepsStatePerDevice() {
    DeadbandStage stage = absolute(0.5, null);
    stage.apply(reading("leaf-1", T0, "temperature", 20.0));

    assertThat(stage.apply(reading("leaf-2", T0, "temperature", 20.0))).as("first value of another device").isPresent();
    assertThat(stage.apply(reading("leaf-1", T0, "temperature", 20.1))).isEmpty();
  }

  @Test
  void passesReadingsItCannotJudge() {
    DeadbandStage stage = absolute(0.5, null);
    stage.apply(at(0, "temperature", 20.0));

    assertThat(stage.apply(at(1, "humidity", 40.0))).isPresent();
    assertThat(stage.apply(at(2, "temperature", "n/a"))).isPresent();
    assertThat(stage.apply(at(3, "temperature", 20.1))).as("state untouched by those").isEmpty();
  }

  @Test
  void configNeedsExactlyOneThreshold() {
    assertThatThrownBy(() -> new DeadbandSpec("temperature", null, null, null)).hasMessageContaining("exactly one");
    assertThatThrownBy(() -> new DeadbandSpec("temperature", 1.0, 2.0, null)).hasMessageContaining("exactly one");
    assertThatThrownBy(() -> new DeadbandSpec("temperature", -1.0, null, null)).hasMessageContaining("zero or a positive");
  }
}
