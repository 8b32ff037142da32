package io.gatehouse.edge.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Suppresses readings whose field barely moved since the last value passed, per device; see
 * {@link DeadbandSpec}. Silence is measured on reading times.
 */
public final class DeadbandStage implements PerReadingStage {
  /** Forgetting a device only lets its next value through, so a bound is safe and keeps memory flat. */
  static final int MAX_TRACKED_DEVICES = 10_000;

  private final String field;
  private final double threshold;
  private final boolean relative;
  private final Duration maxSilence;
  private final Map<String, Passed> lastPassed = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Passed> eldest) {
      return size() > MAX_TRACKED_DEVICES;
    }
  };

  private record Passed(double value, Instant time) {}

  public DeadbandStage(DeadbandSpec spec) {
    this.field = spec.field();
    this.relative = spec.percent() != null;
    this.threshold = relative ? spec.percent() / 100 : spec.threshold();
    this.maxSilence = spec.maxSilence();
  }

  @Override
  public Optional<Reading> apply(Reading reading) {
    if (!(reading.fields().get(field) instanceof Double value)) {
      return Optional.of(reading);
    }
    Passed last = lastPassed.get(reading.deviceId());
    if (last == null || movedEnough(last.value(), value) || silentTooLong(last.time(), reading.time())) {
      lastPassed.put(reading.deviceId(), new Passed(value, reading.time()));
      return Optional.of(reading);
    }
    return Optional.empty();
  }

  private boolean movedEnough(double last, double value) {
    double change = Math.abs(value - last);
    return change > (relative ? Math.abs(last) * threshold : threshold);
  }

  private boolean silentTooLong(Instant lastPassedAt, Instant now) {
    return maxSilence != null && !now.isBefore(lastPassedAt.plus(maxSilence));
  }
}
