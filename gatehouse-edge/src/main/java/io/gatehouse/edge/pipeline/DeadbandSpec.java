package io.gatehouse.edge.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;

/**
 * {@code type: deadband}: per device, passes a reading only when {@code field} moved by more than the
 * threshold since the last value passed. The first value of a device always passes.
 *
 * <pre>{@code
 * - type: deadband
 *   field: temperature   # required
 *   threshold: 0.5       # absolute change; give exactly one of threshold and percent
 *   percent: 2           # change relative to the last passed value, in percent
 *   max-silence: 5m      # optional: after this long without a passed value, the next one passes anyway
 * }</pre>
 *
 * A reading without the field, or with a non-numeric value in it, passes untouched: the deadband
 * only suppresses what it can judge.
 */
public record DeadbandSpec(String field, Double threshold, Double percent,
    @JsonProperty("max-silence") @JsonDeserialize(using = DurationText.Deserializer.class) Duration maxSilence)
    implements StageSpec {

  private static final String STAGE = "deadband";

  public DeadbandSpec {
    SpecChecks.fieldName(STAGE, "field", field);
    if ((threshold == null) == (percent == null)) {
      throw new IllegalArgumentException(STAGE + ": give exactly one of 'threshold' (absolute change, e.g. 0.5) "
          + "and 'percent' (relative change, e.g. 2)");
    }
    double limit = threshold != null ? threshold : percent;
    if (!(limit >= 0) || Double.isInfinite(limit)) {
      throw new IllegalArgumentException(STAGE + ": '" + (threshold != null ? "threshold" : "percent") + "' is "
          + limit + "; it must be zero or a positive number");
    }
    if (maxSilence != null && maxSilence.isZero()) {
      throw new IllegalArgumentException(STAGE + ": 'max-silence' is 0; leave it out, or give how long a value may be held back, e.g. 5m");
    }
  }
}
