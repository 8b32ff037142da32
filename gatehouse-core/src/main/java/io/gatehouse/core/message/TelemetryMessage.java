package io.gatehouse.core.message;

import java.time.Instant;
import java.util.Objects;

/**
 * A device-to-cloud message as stored in the telemetry log.
 *
 * @param sequence position in the log, assigned on append; 0 before
 * @param gatewayId the field gateway that carried it, or {@code null} if the device sent it itself
 */
public record TelemetryMessage(long sequence, String deviceId, String gatewayId, Instant enqueuedAt,
    MessageProperties properties, byte[] payload) {
  public static final int MAX_SIZE = 256 * 1024;

  public TelemetryMessage {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(enqueuedAt, "enqueuedAt");
    properties = properties == null ? MessageProperties.NONE : properties;
    payload = payload == null ? new byte[0] : payload;
  }

  public TelemetryMessage withSequence(long assigned) {
    return new TelemetryMessage(assigned, deviceId, gatewayId, enqueuedAt, properties, payload);
  }
}
