package io.gatehouse.server.inbox;

import java.time.Duration;

/** Azure IoT Hub's cloud-to-device defaults: 50 messages, 1 h TTL (2 days at most), 60 s lock, 10 deliveries. */
public record InboxSettings(int maxDepth, Duration defaultTtl, Duration maxTtl, Duration lockDuration,
    int maxDeliveryCount) {
  public static InboxSettings defaults() {
    return new InboxSettings(50, Duration.ofHours(1), Duration.ofDays(2), Duration.ofSeconds(60), 10);
  }
}
