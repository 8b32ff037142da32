package io.gatehouse.bench.client;

import java.util.Objects;

/**
 * What one simulated device needs to connect: MQTT client id, user name and password, and its
 * topics on the target.
 *
 * @param telemetryTopic where the device publishes telemetry
 * @param inboxFilter the filter the device subscribes to for messages sent to it
 * @param inboxTopic the topic a reference publisher uses to reach it (targets without an inbox)
 */
public record DeviceLogin(String deviceId, String clientId, String username, byte[] password,
    String telemetryTopic, String inboxFilter, String inboxTopic) {
  public DeviceLogin {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  @Override
  public String toString() {
    return "DeviceLogin[" + deviceId + ", password redacted]";
  }
}
