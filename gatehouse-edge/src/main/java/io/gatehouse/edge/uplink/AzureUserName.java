package io.gatehouse.edge.uplink;

/** The MQTT user name Azure IoT Hub devices send, which the service gateway expects whatever the credential. */
final class AzureUserName {
  static final String API_VERSION = "2021-04-12";

  private AzureUserName() {}

  static String of(String hostName, String edgeId) {
    return hostName + "/" + edgeId + "/?api-version=" + API_VERSION;
  }
}
