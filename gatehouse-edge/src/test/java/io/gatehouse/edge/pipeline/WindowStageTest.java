package io.gatehouse.edge.pipeline;

import static io.gatehouse.edge.pipeline.Readings.T0;
import static io.gatehouse.edge.pipeline.Readings.at;
import static io.gatehouse.edge.pipeline.Readings.reading;
import static io.gatehouse.edge.pipeline.Readings.readingsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** T0 is aligned to 10 s, so windows are [T0, T0+10s), [T0+10s, T0+20s) … */
class WindowStageTest {
  private final WindowStage stage = new WindowStage(new WindowSpec(10, List.of("temperature")));

  private List<Upstream> accept(Reading reading) {
    return stage.accept(new Upstream.Single(reading));
  }

  @Test
  void emitsMinMaxAvgCountOnTickWhenTheWindowEnds() {
    assertThat(accept(at(0, "temperature", 20.0))).isEmpty();
    accept(at(3, "temperature", 24.0));
    accept(at(9, "temperature", 22.0, "humidity", 50.0));

    assertThat(stage.tick(T0.plusMillis(9_999))).isEmpty();
    List<Upstream> out = stage.tick(T0.plusSeconds(10));

    assertThat(readingsOf(out)).containsExactly(reading("leaf-1", T0,
        "temperature_min", 20.0, "temperature_max", 24.0, "temperature_avg", 22.0, "temperature_count", 3.0));
    assertThat(stage.tick(T0.plusSeconds(20))).as("emitted once").isEmpty();
  }

  @Test
  void aReadingForALaterWindowClosesTheOpenOne() {
    accept(at(1, "temperature", 20.0));

    List<Upstream> out = accept(at(10, "temperature", 30.0));

    assertThat(readingsOf(out)).extracting(Reading::time).containsExactly(T0);
    assertThat(readingsOf(stage.tick(T0.plusSeconds(20)))).singleElement()
        .satisfies(window -> {
          assertThat(window.time()).as("a reading at the boundary opens the next window").isEqualTo(T0.plusSeconds(10));
          assertThat(window.fields()).containsEntry("temperature_avg", 30.0);
        });
  }

  @Test
  void keepsAWindowPerDevice() {
    accept(reading("leaf-1", T0, "temperature", 10.0));
    accept(reading("leaf-2", T0.plusSeconds(1), "temperature", 30.0));
    accept(reading("leaf-1", T0.plusSeconds(2), "temperature", 20.0));

    assertThat(readingsOf(stage.tick(T0.plusSeconds(10))))
        .extracting(Reading::deviceId, window -> window.fields().get("temperature_avg"))
        .containsExactly(tuple("leaf-1", 15.0), tuple("leaf-2", 30.0));
  }

  @Test
  void dropsLateReadingsForWindowsAlreadyEmitted() {
    accept(at(1, "temperature", 20.0));
    stage.tick(T0.plusSeconds(10));

    assertThat(accept(at(5, "temperature", 99.0))).isEmpty();
    accept(at(12, "temperature", 21.0));
    assertThat(accept(at(8, "temperature", 99.0))).as("older than the open window").isEmpty();

    assertThat(stage.lateReadings()).isEqualTo(2);
    assertThat(readingsOf(stage.tick(T0.plusSeconds(20)))).singleElement()
        .satisfies(window -> assertThat(window.fields()).containsEntry("temperature_max", 21.0));
  }

  @Test
  void ignoresNonNumericValuesAndEmitsNothingForAWindowWithoutValues() {
    accept(at(1, "temperature", "n/a"));
    accept(at(2, "humidity", 40.0));

    assertThat(stage.tick(T0.plusSeconds(10))).isEmpty();
  }

  @Test
  void flushEmitsOpenWindowsUnfinished() {
    accept(at(1, "temperature", 20.0));

    assertThat(readingsOf(stage.flush())).singleElement()
        .satisfies(window -> assertThat(window.fields()).containsEntry("temperature_count", 1.0));
    assertThat(stage.flush()).isEmpty();
  }

  @Test
  void aggregatesEveryReadingOfABatch() {
    stage.accept(new Upstream.Batch(List.of(at(0, "temperature", 1.0), at(1, "temperature", 3.0))));

    assertThat(readingsOf(stage.tick(T0.plusSeconds(10)))).singleElement()
        .satisfies(window -> assertThat(window.fields()).contains(Map.entry("temperature_avg", 2.0), Map.entry("temperature_count", 2.0)));
  }

  @Test
  void configBoundsTheWindow() {
    assertThatThrownBy(() -> new WindowSpec(-5, List.of("t"))).hasMessageContaining("'seconds' is -5");
    assertThatThrownBy(() -> new WindowSpec(0, List.of("t"))).hasMessageContaining("between 1 and 86400");
    assertThatThrownBy(() -> new WindowSpec(10, List.of())).hasMessageContaining("fields");
    assertThatThrownBy(() -> new WindowSpec(10, null)).hasMessageContaining("'fields' is required");
    assertThatThrownBy(() -> new WindowSpec(10, List.of("x".repeat(60)))).hasMessageContaining("_count");
  }
}
