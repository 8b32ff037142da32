package io.gatehouse.edge.pipeline;

import static io.gatehouse.edge.pipeline.Readings.T0;
import static io.gatehouse.edge.pipeline.Readings.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchStageTest {
  private final ManualClock clock = new ManualClock(T0);
  private final BatchStage stage = new BatchStage(new BatchSpec(3, 2000L), clock);

  private List<Upstream> accept(Reading reading) {
    return stage.accept(new Upstream.Single(reading));
  }

  @Test
  void emitsAtOnceWhenFull() {
    assertThat(accept(at(0, "n", 1.0))).isEmpty();
    assertThat(accept(at(1, "n", 2.0))).isEmpty();

    assertThat(accept(at(2, "n", 3.0))).containsExactly(new Upstream.Batch(List.of(at(0, "n", 1.0), at(1, "n", 2.0), at(2, "n", 3.0))));
    assertThat(stage.tick(T0.plusSeconds(60))).as("nothing left").isEmpty();
  }

  @Test
  void emitsOnTickOnceMaxMillisPassedSinceTheFirstReading() {
    accept(at(0, "n", 1.0));
    clock.advance(Duration.ofMillis(1500));
    accept(at(1, "n", 2.0));

    assertThat(stage.tick(T0.plusMillis(1999))).isEmpty();
    assertThat(stage.tick(T0.plusMillis(2000))).containsExactly(new Upstream.Batch(List.of(at(0, "n", 1.0), at(1, "n", 2.0))));

    clock.advance(Duration.ofSeconds(10));
    accept(at(2, "n", 3.0));
    assertThat(stage.tick(clock.instant().plusMillis(1999))).as("a new batch starts its own clock").isEmpty();
  }

  @Test
  void flattensIncomingBatchesAndSplitsAtTheLimit() {
    List<Upstream> out = stage.accept(new Upstream.Batch(List.of(at(0, "n", 1.0), at(1, "n", 2.0), at(2, "n", 3.0), at(3, "n", 4.0))));

    assertThat(out).singleElement().satisfies(batch -> assertThat(batch.readings()).hasSize(3));
    assertThat(stage.flush()).containsExactly(new Upstream.Batch(List.of(at(3, "n", 4.0))));
    assertThat(stage.flush()).isEmpty();
  }

  @Test
  void configBoundsSizeAndAge() {
    assertThatThrownBy(() -> new BatchSpec(0, 1000L)).hasMessageContaining("'max-messages' is 0");
    assertThatThrownBy(() -> new BatchSpec(10, null)).hasMessageContaining("'max-millis' is required");
    assertThatThrownBy(() -> new BatchSpec(BatchSpec.MAX_MESSAGES + 1, 1000L)).hasMessageContaining("between 1 and");
  }
}
