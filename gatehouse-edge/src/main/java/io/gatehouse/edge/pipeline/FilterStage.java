package io.gatehouse.edge.pipeline;

import java.util.Optional;

/** Keeps or drops readings by one field condition; see {@link FilterSpec} for the config. */
public final class FilterStage implements PerReadingStage {
  private final String field;
  private final ComparisonOp op;
  private final Object value;
  private final boolean keepMatching;
  private final boolean passUnjudged;

  public FilterStage(FilterSpec spec) {
    this.field = spec.field();
    this.op = spec.op();
    this.value = spec.value();
    this.keepMatching = spec.keep();
    this.passUnjudged = spec.ifMissing() == FilterSpec.IfMissing.PASS;
  }

  @Override
  public Optional<Reading> apply(Reading reading) {
    Object actual = reading.fields().get(field);
    // A value of another type cannot be compared meaningfully, so it counts as missing.
    if (actual == null || actual.getClass() != value.getClass()) {
      return passUnjudged ? Optional.of(reading) : Optional.empty();
    }
    return op.test(actual, value) == keepMatching ? Optional.of(reading) : Optional.empty();
  }
}
