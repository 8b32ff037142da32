package io.gatehouse.edge.pipeline;

import static io.gatehouse.edge.pipeline.Readings.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransformStageTest {

  @Test
  void renamesInPlaceThenConvertsUnderTheNewName() {
    TransformStage stage = new TransformStage(new TransformSpec(
        Map.of("temp_c", "temperature"), null, Map.of("temperature", UnitConversion.CELSIUS_TO_FAHRENHEIT), null));

    Reading out = stage.apply(at(0, "id", 7.0, "temp_c", 100.0, "mode", "eco")).orElseThrow();

    assertThat(out.fields()).containsExactly(Map.entry("id", 7.0), Map.entry("temperature", 212.0), Map.entry("mode", "eco"));
  }

  @Test
  void aRenamedFieldReplacesOneAlreadyCarryingItsName() {
    TransformStage stage = new TransformStage(new TransformSpec(Map.of("t", "temperature"), null, null, null));

    assertThat(stage.apply(at(0, "temperature", 1.0, "t", 2.0)).orElseThrow().fields()).containsExactly(Map.entry("temperature", 2.0));
    assertThat(stage.apply(at(0, "temperature", 1.0)).orElseThrow().fields()).containsExactly(Map.entry("temperature", 1.0));
  }

  @Test
  void scalesLinearlyAndDropsFields() {
    TransformStage stage = new TransformStage(new TransformSpec(
        null, Map.of("pressure", new TransformSpec.Scale(0.001, 0.0), "level", new TransformSpec.Scale(2.0, -1.0)), null,
        List.of("debug")));

    Reading out = stage.apply(at(0, "pressure", 101325.0, "level", 3.0, "debug", 1.0)).orElseThrow();

    assertThat(out.fields()).containsOnlyKeys("pressure", "level");
    assertThat((Double) out.fields().get("pressure")).isCloseTo(101.325, within(1e-9));
    assertThat(out.fields().get("level")).isEqualTo(5.0);
  }

  @Test
  void convertsWithTheBuiltInTable() {
    assertThat(UnitConversion.FAHRENHEIT_TO_CELSIUS.apply(212)).isCloseTo(100, within(1e-9));
    assertThat(UnitConversion.CELSIUS_TO_KELVIN.apply(0)).isCloseTo(273.15, within(1e-9));
    assertThat(UnitConversion.KELVIN_TO_FAHRENHEIT.apply(273.15)).isCloseTo(32, within(1e-9));
    assertThat(UnitConversion.PSI_TO_KPA.apply(1)).isCloseTo(6.894757, within(1e-6));
    assertThat(UnitConversion.KPA_TO_PSI.apply(UnitConversion.PSI_TO_KPA.apply(14.7))).isCloseTo(14.7, within(1e-9));
    assertThat(UnitConversion.MPS_TO_KMH.apply(10)).isCloseTo(36, within(1e-9));
    assertThat(UnitConversion.MPH_TO_MPS.apply(1)).isCloseTo(0.44704, within(1e-12));
    assertThat(UnitConversion.of("kpa_to_psi")).isEqualTo(UnitConversion.KPA_TO_PSI);
    assertThatThrownBy(() -> UnitConversion.of("celsius_to_furlongs")).hasMessageContaining("celsius_to_fahrenheit");
  }

  @Test
  void leavesNonNumericValuesUnchangedAndDropsAReadingLeftEmpty() {
    TransformStage convert = new TransformStage(new TransformSpec(null, null, Map.of("t", UnitConversion.CELSIUS_TO_FAHRENHEIT), null));
    assertThat(convert.apply(at(0, "t", "n/a")).orElseThrow().fields()).containsExactly(Map.entry("t", "n/a"));

    TransformStage dropAll = new TransformStage(new TransformSpec(null, null, null, List.of("t")));
    assertThat(dropAll.apply(at(0, "t", 1.0))).isEmpty();
  }

  @Test
  void configMustDoSomethingAndMayNotMergeTwoFields() {
    assertThatThrownBy(() -> new TransformSpec(null, null, null, null)).hasMessageContaining("nothing to do");
    assertThatThrownBy(() -> new TransformSpec(Map.of("a", "x", "b", "x"), null, null, null)).hasMessageContaining("two fields to 'x'");
    assertThatThrownBy(() -> new TransformSpec(Map.of("a", "ts"), null, null, null)).hasMessageContaining("reserved");
  }
}
