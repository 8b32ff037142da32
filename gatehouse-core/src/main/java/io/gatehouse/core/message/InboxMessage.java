package io.gatehouse.core.message;

import java.time.Instant;
import java.util.Objects;

/**
 * A cloud-to-device message waiting in (or leaving) a device's inbox.
 *
 * @param sequence unique per device inbox, assigned on enqueue
 * @param sender the service identity that sent it; feedback goes back to it
 * @param lockToken set while the message is locked for delivery (the HTTPS ETag); {@code null} otherwise
 * @param deliveryCount how many times it was handed out; past the limit it is dead-lettered
 */
public record InboxMessage(String deviceId, long sequence, String sender, MessageProperties properties,
    byte[] payload, AckMode ack, Instant enqueuedAt, Instant expiresAt, int deliveryCount, String lockToken,
    Instant lockedUntil) {
  public static final int MAX_SIZE = 64 * 1024;

  public InboxMessage {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(sender, "sender");
    properties = properties == null ? MessageProperties.NONE : properties;
    payload = payload == null ? new byte[0] : payload;
    ack = ack == null ? AckMode.NONE : ack;
    Objects.requireNonNull(enqueuedAt, "enqueuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
