package io.gatehouse.edge.alarm;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.core.identity.IdentityIds;
import java.nio.charset.StandardCharsets;

/**
 * A command for a local actuator leaf, performed when an alarm is raised. In YAML the payload is a
 * string sent as is ({@code payload: '{"open":false}'}) or a mapping sent as JSON ({@code payload: {open: false}}).
 */
public record ActuatorCommand(String device, String payload) {
  public static final int MAX_PAYLOAD_BYTES = 4096;

  public ActuatorCommand {
    if (device == null) {
      throw new IllegalArgumentException("action: 'device' is required; name the actuator leaf, e.g. device: valve-1");
    }
    try {
      IdentityIds.requireValid("action device", device);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("action: " + e.getMessage());
    }
    if (payload == null || payload.isEmpty()) {
      throw new IllegalArgumentException("action: 'payload' is required; give what the actuator expects, e.g. payload: '{\"open\":false}'");
    }
    int size = payload.getBytes(StandardCharsets.UTF_8).length;
    if (size > MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException("action: 'payload' is " + size + " bytes; at most " + MAX_PAYLOAD_BYTES + " are allowed");
    }
  }

  @JsonCreator
  static ActuatorCommand fromConfig(@JsonProperty("device") String device, @JsonProperty("payload") JsonNode payload) {
    String text = payload == null || payload.isNull() ? null : payload.isTextual() ? payload.asText() : payload.toString();
    return new ActuatorCommand(device, text);
  }

  public byte[] payloadBytes() {
    return payload.getBytes(StandardCharsets.UTF_8);
  }
}
