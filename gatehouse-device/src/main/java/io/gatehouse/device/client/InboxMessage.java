package io.gatehouse.device.client;

import java.util.Map;

/**
 * A cloud-to-device message as it arrived on {@code devices/{id}/messages/devicebound/{bag}}: the
 * payload and the decoded property bag (system properties keep their {@code $.} names, e.g.
 * {@code $.mid}).
 */
public record InboxMessage(String topic, byte[] payload, Map<String, String> properties) {
  public InboxMessage {
    payload = payload.clone();
    properties = Map.copyOf(properties);
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }
}
