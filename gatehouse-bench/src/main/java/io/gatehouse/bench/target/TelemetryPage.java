package io.gatehouse.bench.target;

import java.time.Instant;
import java.util.List;

/**
 * One page of the service gateway's telemetry log, as {@code GET /telemetry} returns it.
 *
 * @param more whether the log holds more after this page (the answer carried {@code next})
 */
public record TelemetryPage(List<Message> items, boolean more) {
  public TelemetryPage {
    items = List.copyOf(items);
  }

  /** A stored message; {@code payload} is the UTF-8 text, or null when the gateway sent base64 instead. */
  public record Message(long sequence, String deviceId, String gatewayId, Instant enqueuedAt, String payload) {}
}
