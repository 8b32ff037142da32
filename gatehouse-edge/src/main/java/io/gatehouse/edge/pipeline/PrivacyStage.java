package io.gatehouse.edge.pipeline;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Removes and coarsens what need not leave the site; see {@link PrivacySpec}. A reading left without
 * fields is dropped. Non-numeric values of a {@code round} field are left as they are.
 */
public final class PrivacyStage implements PerReadingStage {
  private final List<String> drop;
  private final long timeStepMillis;
  private final Map<String, BigDecimal> roundSteps;
  private final Pseudonymizer pseudonymizer;

  /** {@code pseudonymizer} is null unless the spec asks for pseudonyms. */
  PrivacyStage(PrivacySpec spec, Pseudonymizer pseudonymizer) {
    if (spec.pseudonymize() && pseudonymizer == null) {
      throw new IllegalArgumentException("privacy: 'pseudonymize' is true but no pseudonym key was configured for this edge");
    }
    this.drop = spec.drop();
    this.timeStepMillis = spec.coarsenTime() == null ? 0 : spec.coarsenTime().toMillis();
    Map<String, BigDecimal> steps = new LinkedHashMap<>();
    spec.round().forEach((field, step) -> steps.put(field, BigDecimal.valueOf(step)));
    this.roundSteps = Map.copyOf(steps);
    this.pseudonymizer = spec.pseudonymize() ? pseudonymizer : null;
  }

  public static PrivacyStage withoutPseudonyms(PrivacySpec spec) {
    return new PrivacyStage(spec, null);
  }

  public static PrivacyStage withPseudonyms(PrivacySpec spec, PseudonymKey key) {
    return new PrivacyStage(spec, new Pseudonymizer(key, spec.pseudonymLength()));
  }

  @Override
  public Optional<Reading> apply(Reading reading) {
    Map<String, Object> fields = new LinkedHashMap<>(reading.fields());
    drop.forEach(fields::remove);
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    roundSteps.forEach((field, step) -> {
      if (fields.get(field) instanceof Double value) {
        fields.put(field, roundToStep(value, step));
      }
    });
    Instant time = timeStepMillis == 0 ? reading.time()
        : Instant.ofEpochMilli(Math.floorDiv(reading.time().toEpochMilli(), timeStepMillis) * timeStepMillis);
    String deviceId = pseudonymizer == null ? reading.deviceId() : pseudonymizer.pseudonym(reading.deviceId());
    return Optional.of(new Reading(deviceId, time, fields));
  }

  /** Half-up to the nearest multiple; decimal arithmetic so a step of 0.1 gives 0.3, not 0.30000000000000004. */
  static double roundToStep(double value, BigDecimal step) {
    double multiples = Math.floor(value / step.doubleValue() + 0.5);
    return new BigDecimal(multiples).multiply(step).doubleValue();
  }
}
