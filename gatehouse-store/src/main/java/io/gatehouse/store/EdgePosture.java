package io.gatehouse.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The latest posture report of a field gateway, as received.
 *
 * @param report the JSON object the edge sent, as text (checked to be JSON before it is stored)
 * @param source the network address the report came from
 */
public record EdgePosture(String edgeId, Instant receivedAt, String report, String source) {
  public EdgePosture {
    Objects.requireNonNull(edgeId, "edgeId");
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(source, "source");
  }
}
