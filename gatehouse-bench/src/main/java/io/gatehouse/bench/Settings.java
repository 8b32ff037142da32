package io.gatehouse.bench;

import io.gatehouse.bench.client.MqttVersion;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The numbers of one run. Defaults follow the issue; {@link #quickRun()} is a small run in which each
 * scenario finishes in well under a minute.
 *
 * @param inFlight connection attempts in flight at once (connect storm and every setup phase)
 * @param telemetryMessages messages per device in the saturated (closed-loop) telemetry phase
 * @param telemetryWindow unacknowledged publishes per device in the saturated phase
 * @param telemetryRate aggregate publish rate of the paced (open-loop) telemetry phase
 * @param telemetrySeconds length of the paced telemetry phase
 * @param idleHoldSeconds how long the idle devices stay connected before memory is read
 * @param inboxMessages messages sent in the inbox scenario, at {@code inboxRate} per second
 * @param edgeLeaves leaves publishing through the field gateway (and, for the reference, to Mosquitto)
 * @param edgeWindow unacknowledged publishes per leaf (the edge takes at most 16 per leaf)
 * @param edgeSeconds length of the field gateway's throughput phase
 * @param edgeBufferMessages messages buffered by the edge while the service gateway is down, then drained
 * @param registrations DPS registrations (symmetric-key group) in the provisioning scenario
 */
public record Settings(int connectDevices, int inFlight, int telemetryDevices, int telemetryMessages,
    int telemetryWindow, int telemetryRate, int telemetrySeconds, int idleDevices, int idleHoldSeconds,
    int inboxDevices, int inboxMessages, int inboxRate, int edgeLeaves, int edgeWindow, int edgeSeconds,
    int edgeBufferMessages, int registrations, int payloadBytes, MqttVersion mqttVersion, int keepAliveSeconds, boolean quick) {

  public static Settings defaultRun() {
    return new Settings(5_000, 100, 1_000, 100, 1, 30_000, 10, 10_000, 5, 100, 5_000, 500, 100, 8, 10, 100_000, 5_000,
        256, MqttVersion.V3, 300, false);
  }

  public static Settings quickRun() {
    return new Settings(200, 50, 50, 200, 1, 2_000, 2, 500, 1, 20, 100, 500, 50, 8, 3, 10_000, 300, 256,
        MqttVersion.V3, 300, true);
  }

  /** Largest device count any of the given scenarios needs. */
  public int devicesFor(String scenario) {
    return switch (scenario) {
      case "connect" -> connectDevices;
      case "telemetry" -> telemetryDevices;
      case "idle" -> idleDevices;
      case "inbox" -> inboxDevices;
      case "edge" -> edgeLeaves;
      case "provisioning" -> 0; // the scenario's devices come into being by provisioning
      default -> throw new IllegalArgumentException(scenario);
    };
  }

  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("quick", quick);
    m.put("mqttVersion", mqttVersion.label());
    m.put("connectDevices", connectDevices);
    m.put("inFlight", inFlight);
    m.put("telemetryDevices", telemetryDevices);
    m.put("telemetryMessagesPerDevice", telemetryMessages);
    m.put("telemetryWindow", telemetryWindow);
    m.put("telemetryRate", telemetryRate);
    m.put("telemetrySeconds", telemetrySeconds);
    m.put("idleDevices", idleDevices);
    m.put("idleHoldSeconds", idleHoldSeconds);
    m.put("inboxDevices", inboxDevices);
    m.put("inboxMessages", inboxMessages);
    m.put("inboxRate", inboxRate);
    m.put("edgeLeaves", edgeLeaves);
    m.put("edgeWindow", edgeWindow);
    m.put("edgeSeconds", edgeSeconds);
    m.put("edgeBufferMessages", edgeBufferMessages);
    m.put("registrations", registrations);
    m.put("payloadBytes", payloadBytes);
    m.put("keepAliveSeconds", keepAliveSeconds);
    return m;
  }
}
