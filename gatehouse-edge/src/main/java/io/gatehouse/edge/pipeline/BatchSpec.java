package io.gatehouse.edge.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code type: batch}: collects readings and sends them as one batch when {@code max-messages} are
 * collected or {@code max-millis} have passed since the first one, whichever comes first.
 *
 * <pre>{@code
 * - type: batch
 *   max-messages: 50    # required, 1 to 1000
 *   max-millis: 2000    # required, 1 to 3600000
 * }</pre>
 */
public record BatchSpec(@JsonProperty("max-messages") Integer maxMessages, @JsonProperty("max-millis") Long maxMillis)
    implements StageSpec {
  public static final int MAX_MESSAGES = 1000;
  public static final long MAX_MILLIS = 3_600_000;

  private static final String STAGE = "batch";

  public BatchSpec {
    SpecChecks.require(STAGE, "max-messages", maxMessages, "give how many readings make a full batch, e.g. max-messages: 50");
    SpecChecks.require(STAGE, "max-millis", maxMillis, "give how long a batch may wait, e.g. max-millis: 2000");
    SpecChecks.inRange(STAGE, "max-messages", maxMessages, 1, MAX_MESSAGES);
    SpecChecks.inRange(STAGE, "max-millis", maxMillis, 1, MAX_MILLIS);
  }
}
