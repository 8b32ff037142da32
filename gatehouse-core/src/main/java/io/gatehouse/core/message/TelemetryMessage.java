package io.gatehouse.core.message;

import java.time.Instant;
import java.util.Objects;

/**
 * A device-to-cloud message as stored in the telemetry log.
 *
 * @param sequence position in the log, assigned on append; 0 before
 * @param gatewayId the field gateway that carried it, or {@code null} if the device sent it itself
 * @param enqueuedAt assigned by the log on append (it keeps enqueue times from ever going back);
 *     {@code null} before
 */
public record TelemetryMessage(long sequence, String deviceId, String gatewayId, Instant enqueuedAt,
    MessageProperties properties, byte[] payload) {
  public static final int MAX_SIZE = 256 * 1024;

  public TelemetryMessage {
    Objects.requireNonNull(deviceId, "deviceId");
    if (sequence > 0) {
      Objects.requireNonNull(enqueuedAt, "enqueuedAt");
    }
    properties = properties == null ? MessageProperties.NONE : properties;
    payload = payload == null ? new byte[0] : payload;
  }

  /** A message for {@link #sequence()} and {@link #enqueuedAt()} to be assigned by the log. */
  public static TelemetryMessage toAppend(String deviceId, String gatewayId, MessageProperties properties,
      byte[] payload) {
    return new TelemetryMessage(0, deviceId, gatewayId, null, properties, payload);
  }

  public TelemetryMessage withSequence(long assigned) {
    return new TelemetryMessage(assigned, deviceId, gatewayId, enqueuedAt, properties, payload);
  }
}
