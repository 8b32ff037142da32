package io.gatehouse.device.client;

import java.util.Map;
import java.util.OptionalInt;

/**
 * A cloud-to-device message: the payload and its properties under the same names on both
 * transports. System properties keep their {@code $.} names ({@code $.mid}, {@code $.to},
 * {@code $.cid}, {@code $.uid}, {@code $.ct}, {@code $.ce}); any other name is an application
 * property. Over HTTPS the gateway also says what MQTT 3.1.1 cannot carry, kept under its header
 * name: {@code iothub-deliverycount}, {@code iothub-sequencenumber}, {@code iothub-enqueuedtime},
 * {@code iothub-expiry}, {@code iothub-ack}.
 *
 * @param topic where it arrived: the MQTT topic {@code devices/{id}/messages/devicebound/{bag}}, or
 *     over HTTPS the {@code iothub-to} address
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

  /** How many times the gateway has delivered this message, this time included; known over HTTPS only. */
  public OptionalInt deliveryCount() {
    String count = properties.get("iothub-deliverycount");
    try {
      return count == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(count));
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }
}
