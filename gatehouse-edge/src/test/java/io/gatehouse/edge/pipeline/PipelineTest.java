package io.gatehouse.edge.pipeline;

import static io.gatehouse.edge.pipeline.Readings.T0;
import static io.gatehouse.edge.pipeline.Readings.at;
import static io.gatehouse.edge.pipeline.Readings.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineTest {
  private static final PseudonymKey KEY = PseudonymKey.of("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
  private final ManualClock clock = new ManualClock(T0);

  @Test
  void passesEachReadingThroughTheStagesInOrder() {
    Pipeline pipeline = Pipeline.from(PipelineSpecs.parse("""
        pipeline:
          - type: transform
            rename: { temp_c: temperature }
            convert: { temperature: celsius_to_fahrenheit }
          - type: filter
            field: temperature
            op: ">"
            value: -40
        """), clock);

    assertThat(pipeline.accept(at(0, "temp_c", 100.0))).containsExactly(new Upstream.Single(at(0, "temperature", 212.0)));
    assertThat(pipeline.accept(at(1, "temp_c", -50.0))).as("-58 °F is filtered out").isEmpty();
    assertThat(pipeline.tick(T0.plusSeconds(60))).isEmpty();
  }

  @Test
  void runsTheWholeConfiguredPipelineDrivenByTicks() {
    Pipeline pipeline = Pipeline.from(PipelineSpecs.parse("""
        pipeline:
          - type: transform
            rename: { temp_c: temperature }
            convert: { temperature: celsius_to_fahrenheit }
          - type: filter
            field: temperature
            op: ">"
            value: -40
          - type: deadband
            field: temperature
            threshold: 0.5
          - type: window
            seconds: 10
            fields: [temperature]
          - type: batch
            max-messages: 50
            max-millis: 2000
          - type: privacy
            drop: [operator_name]
            coarsen-time: 1m
            round: { temperature_avg: 0.5 }
            pseudonymize: true
        """), clock, KEY);

    assertThat(pipeline.accept(at(1, "temp_c", 20.0, "operator_name", "Ann"))).isEmpty();
    assertThat(pipeline.accept(at(2, "temp_c", 20.1))).isEmpty();   // 68.18 °F: inside the deadband
    assertThat(pipeline.accept(at(5, "temp_c", 25.3))).isEmpty();   // 77.54 °F
    assertThat(pipeline.accept(reading("leaf-2", T0.plusSeconds(3), "temp_c", 0.0))).isEmpty();

    // The windows close at T0+10s and flow on into the batch, which waits for its 2 s.
    assertThat(pipeline.tick(clock.advance(Duration.ofSeconds(10)))).isEmpty();
    assertThat(pipeline.tick(clock.advance(Duration.ofMillis(1999)))).isEmpty();

    List<Upstream> out = pipeline.tick(clock.advance(Duration.ofMillis(1)));

    assertThat(out).singleElement().isInstanceOf(Upstream.Batch.class);
    List<Reading> sent = out.getFirst().readings();
    assertThat(sent).extracting(Reading::time).containsOnly(Instant.parse("2024-05-01T10:00:00Z"));
    assertThat(sent).extracting(Reading::deviceId).doesNotContain("leaf-1", "leaf-2").allMatch(id -> id.matches("[0-9a-f]{16}"));
    assertThat(sent.get(0).fields()).containsExactly(
        Map.entry("temperature_min", 68.0), Map.entry("temperature_max", 77.54),
        Map.entry("temperature_avg", 73.0), Map.entry("temperature_count", 2.0));
    assertThat(sent.get(1).fields()).containsEntry("temperature_avg", 32.0);
    assertThat(new String(out.getFirst().toJson(), StandardCharsets.UTF_8)).startsWith("{\"batch\":[{\"device\":\"");
  }

  @Test
  void flushEmptiesEveryStageThroughTheLaterOnes() {
    Pipeline pipeline = Pipeline.from(PipelineSpecs.parse("""
        - type: window
          seconds: 60
          fields: [t]
        - type: batch
          max-messages: 10
          max-millis: 60000
        """), clock);
    pipeline.accept(at(1, "t", 1.0));
    pipeline.accept(reading("leaf-2", T0.plusSeconds(2), "t", 2.0));

    List<Upstream> out = pipeline.flush();

    assertThat(out).singleElement().satisfies(batch -> assertThat(batch.readings()).hasSize(2));
    assertThat(pipeline.flush()).isEmpty();
  }

  @Test
  void aPipelineWithoutStagesPassesReadingsThrough() {
    Pipeline pipeline = new Pipeline(List.of());

    assertThat(pipeline.accept(at(0, "t", 1.0))).containsExactly(new Upstream.Single(at(0, "t", 1.0)));
  }

  @Test
  void refusesPseudonymsWithoutAKey() {
    List<StageSpec> specs = PipelineSpecs.parse("- type: privacy\n  pseudonymize: true\n");

    assertThatThrownBy(() -> Pipeline.from(specs, clock)).hasMessageContaining("no pseudonym key");
  }
}
