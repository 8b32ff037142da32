package io.gatehouse.edge.pipeline;

import static io.gatehouse.edge.pipeline.Readings.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FilterStageTest {

  private static FilterStage filter(String field, String op, Object value, Boolean keep, FilterSpec.IfMissing ifMissing) {
    return new FilterStage(new FilterSpec(field, ComparisonOp.of(op), value, keep, ifMissing));
  }

  @ParameterizedTest
  @CsvSource({
      ">, 20, 21, true", ">, 21, 21, false",
      ">=, 21, 21, true", ">=, 22, 21, false",
      "<, 22, 21, true", "<, 21, 21, false",
      "<=, 21, 21, true", "<=, 20, 21, false",
      "==, 21, 21, true", "==, 20, 21, false",
      "!=, 20, 21, true", "!=, 21, 21, false",
      "gt, 20, 21, true", "le, 20, 21, false"})
  void keepsReadingsThatMatchTheCondition(String op, double value, double actual, boolean kept) {
    FilterStage stage = filter("temperature", op, value, null, null);

    assertThat(stage.apply(at(0, "temperature", actual)).isPresent()).isEqualTo(kept);
  }

  @Test
  void aDropFilterDropsWhatMatches() {
    FilterStage stage = filter("status", "==", "calibrating", false, null);

    assertThat(stage.apply(at(0, "status", "calibrating"))).isEmpty();
    assertThat(stage.apply(at(0, "status", "ok"))).isPresent();
  }

  @Test
  void aReadingWithoutTheFieldIsDroppedByKeepFiltersAndPassedByDropFilters() {
    assertThat(filter("temperature", ">", -40, null, null).apply(at(0, "humidity", 40.0))).isEmpty();
    assertThat(filter("temperature", ">", 100, false, null).apply(at(0, "humidity", 40.0))).isPresent();
    assertThat(filter("temperature", ">", -40, true, FilterSpec.IfMissing.PASS).apply(at(0, "humidity", 40.0))).isPresent();
  }

  @Test
  void aValueOfAnotherTypeCountsAsMissing() {
    FilterStage stage = filter("temperature", ">", -40, null, null);

    assertThat(stage.apply(at(0, "temperature", "n/a"))).isEmpty();
    assertThat(filter("door", "==", true, null, null).apply(at(0, "door", "true"))).isEmpty();
    assertThat(filter("door", "==", true, null, null).apply(at(0, "door", true))).isPresent();
  }

  @Test
  void orderingOpsNeedANumberAtConfigTime() {
    assertThatThrownBy(() -> new FilterSpec("mode", ComparisonOp.GREATER, "eco", null, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("compares numbers");
  }

  @Test
  void insideABatchFiltersEachReadingAndDropsAnEmptyBatch() {
    FilterStage stage = filter("temperature", ">", 0, null, null);

    List<Upstream> out = stage.accept(new Upstream.Batch(List.of(at(0, "temperature", 5.0), at(1, "temperature", -5.0))));
    assertThat(out).containsExactly(new Upstream.Batch(List.of(at(0, "temperature", 5.0))));
    assertThat(stage.accept(new Upstream.Batch(List.of(at(1, "temperature", -5.0))))).isEmpty();
  }
}
