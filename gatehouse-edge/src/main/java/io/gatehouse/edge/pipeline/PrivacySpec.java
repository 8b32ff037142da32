package io.gatehouse.edge.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code type: privacy}: keeps on site what need not leave it.
 *
 * <pre>{@code
 * - type: privacy
 *   drop: [operator_name]        # fields removed
 *   coarsen-time: 1m             # timestamps truncated to this (1ms to 1d)
 *   round: { temperature: 0.5 }  # numeric fields rounded to the nearest multiple of the step
 *   pseudonymize: true           # device id replaced by a keyed pseudonym (HMAC-SHA256, hex)
 *   pseudonym-length: 16         # hex characters kept, 8 to 64; default 16 (ignored without pseudonymize)
 * }</pre>
 *
 * At least one of drop, coarsen-time, round and pseudonymize is required. Pseudonyms need a key,
 * which the edge passes to {@link Pipeline#from(List, java.time.InstantSource, PseudonymKey)}: the
 * same device gets the same pseudonym under the same key, and nobody without the key can link the two.
 */
public record PrivacySpec(List<String> drop,
    @JsonProperty("coarsen-time") @JsonDeserialize(using = DurationText.Deserializer.class) Duration coarsenTime,
    Map<String, Double> round, Boolean pseudonymize, @JsonProperty("pseudonym-length") Integer pseudonymLength)
    implements StageSpec {
  public static final int DEFAULT_PSEUDONYM_LENGTH = 16;

  private static final String STAGE = "privacy";

  public PrivacySpec {
    drop = SpecChecks.fieldNames(STAGE, "drop", drop);
    round = round == null ? Map.of() : Map.copyOf(round);
    round.forEach((field, step) -> {
      SpecChecks.fieldName(STAGE, "round", field);
      SpecChecks.positive(STAGE, "round." + field, step);
    });
    pseudonymize = pseudonymize != null && pseudonymize;
    pseudonymLength = pseudonymLength == null ? DEFAULT_PSEUDONYM_LENGTH : pseudonymLength;
    SpecChecks.inRange(STAGE, "pseudonym-length", pseudonymLength, 8, 64);
    if (coarsenTime != null && (coarsenTime.compareTo(Duration.ofMillis(1)) < 0 || coarsenTime.compareTo(Duration.ofDays(1)) > 0
        || coarsenTime.toNanos() % 1_000_000 != 0)) {
      throw new IllegalArgumentException(STAGE + ": 'coarsen-time' is " + coarsenTime + "; it must be whole milliseconds between 1ms and 1d, e.g. 1m");
    }
    if (drop.isEmpty() && coarsenTime == null && round.isEmpty() && !pseudonymize) {
      throw new IllegalArgumentException(STAGE + ": nothing to do; give at least one of drop, coarsen-time, round, pseudonymize");
    }
  }
}
