package io.gatehouse.edge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineSpecsTest {

  @Test
  void parsesEveryStageType() {
    List<StageSpec> specs = PipelineSpecs.parse("""
        pipeline:
          - type: filter
            field: temperature
            op: ">"
            value: -40
          - type: transform
            rename: { temp_c: temperature }
            convert: { temperature: celsius_to_fahrenheit }
            scale: { pressure: { factor: 0.001, offset: 0 } }
          - type: deadband
            field: temperature
            threshold: 0.5
            max-silence: 5m
          - type: window
            seconds: 10
            fields: [temperature]
          - type: batch
            max-messages: 50
            max-millis: 2000
          - type: privacy
            drop: [operator_name]
            coarsen-time: 1m
            round: { temperature: 0.5 }
        """);

    assertThat(specs).containsExactly(
        new FilterSpec("temperature", ComparisonOp.GREATER, -40.0, true, FilterSpec.IfMissing.DROP),
        new TransformSpec(Map.of("temp_c", "temperature"), Map.of("pressure", new TransformSpec.Scale(0.001, 0.0)),
            Map.of("temperature", UnitConversion.CELSIUS_TO_FAHRENHEIT), List.of()),
        new DeadbandSpec("temperature", 0.5, null, Duration.ofMinutes(5)),
        new WindowSpec(10, List.of("temperature")),
        new BatchSpec(50, 2000L),
        new PrivacySpec(List.of("operator_name"), Duration.ofMinutes(1), Map.of("temperature", 0.5), false, 16));
  }

  @Test
  void acceptsABareListAndOpWords() {
    assertThat(PipelineSpecs.parse("""
        - type: filter
          field: status
          op: ne
          value: calibrating
          keep: true
          if-missing: pass
        """)).containsExactly(new FilterSpec("status", ComparisonOp.NOT_EQUAL, "calibrating", true, FilterSpec.IfMissing.PASS));
  }

  @Test
  void namesAnUnknownTypeAndListsTheKnownOnes() {
    assertThatThrownBy(() -> PipelineSpecs.parse("pipeline:\n  - type: fliter\n    field: t\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("item 1")
        .hasMessageContaining("unknown type 'fliter'")
        .hasMessageContaining("filter, transform, deadband, window, batch, privacy");
    assertThatThrownBy(() -> PipelineSpecs.parse("pipeline:\n  - field: t\n")).hasMessageContaining("'type' is missing");
  }

  @Test
  void namesAnUnknownPropertyAndListsTheKnownOnes() {
    assertThatThrownBy(() -> PipelineSpecs.parse("""
        pipeline:
          - type: window
            seconds: 10
            fields: [t]
          - type: deadband
            field: t
            thresold: 0.5
        """))
        .hasMessageContaining("item 2 (deadband)")
        .hasMessageContaining("unknown property 'thresold'")
        .hasMessageContaining("threshold");
    assertThatThrownBy(() -> PipelineSpecs.parse("""
        - type: transform
          scale: { pressure: { factor: 2, offest: 1 } }
        """))
        .hasMessageContaining("item 1 (transform), at scale.pressure")
        .hasMessageContaining("unknown property 'offest'");
  }

  @Test
  void explainsABadOp() {
    assertThatThrownBy(() -> PipelineSpecs.parse("- type: filter\n  field: t\n  op: \"=>\"\n  value: 1\n"))
        .hasMessageContaining("item 1 (filter)")
        .hasMessageContaining("op '=>' is unknown; expected one of > >= < <= == !=");
  }

  @Test
  void explainsANegativeWindow() {
    assertThatThrownBy(() -> PipelineSpecs.parse("pipeline:\n  - type: window\n    seconds: -5\n    fields: [t]\n"))
        .hasMessageContaining("pipeline, item 1 (window)")
        .hasMessageContaining("'seconds' is -5; it must be between 1 and 86400");
  }

  @Test
  void explainsBadDurationsAndConversions() {
    assertThatThrownBy(() -> PipelineSpecs.parse("- type: privacy\n  coarsen-time: 1 minute\n"))
        .hasMessageContaining("coarsen-time").hasMessageContaining("500ms, 30s, 1m");
    assertThatThrownBy(() -> PipelineSpecs.parse("- type: deadband\n  field: t\n  threshold: 1\n  max-silence: 30\n"))
        .hasMessageContaining("needs a unit, e.g. 30s");
    assertThatThrownBy(() -> PipelineSpecs.parse("- type: transform\n  convert: { t: celsius_to_furlongs }\n"))
        .hasMessageContaining("unit conversion 'celsius_to_furlongs' is unknown");
  }

  @Test
  void explainsMissingRequiredProperties() {
    assertThatThrownBy(() -> PipelineSpecs.parse("- type: batch\n  max-millis: 100\n"))
        .hasMessageContaining("batch: 'max-messages' is required");
    assertThatThrownBy(() -> PipelineSpecs.parse("- type: filter\n  field: t\n  op: \">\"\n"))
        .hasMessageContaining("filter: 'value' is required");
  }

  @Test
  void refusesDocumentsThatAreNotAListOfStages() {
    assertThatThrownBy(() -> PipelineSpecs.parse("pipeline:\n  type: filter\n")).hasMessageContaining("must be a list");
    assertThatThrownBy(() -> PipelineSpecs.parse("")).hasMessageContaining("must be a list");
    assertThatThrownBy(() -> PipelineSpecs.parse("pipeline: [\n")).hasMessageContaining("not valid YAML");
    assertThatThrownBy(() -> PipelineSpecs.parse("- type: batch\n  max-messages: 1\n  max-messages: 2\n  max-millis: 5\n"))
        .hasMessageContaining("max-messages");
  }

  @Test
  void readsDurationsInEveryWrittenForm() {
    assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationText.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(DurationText.parse("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(DurationText.parse("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(DurationText.parse("PT1M")).isEqualTo(Duration.ofMinutes(1));
    assertThat(DurationText.parse("0")).isEqualTo(Duration.ZERO);
    assertThatThrownBy(() -> DurationText.parse("-PT1M")).hasMessageContaining("not understood");
  }
}
