package io.gatehouse.server.bootstrap;

import io.gatehouse.server.tls.ServerTls;

/** What {@code gatehouse serve} tells the person who started it. */
public record StartupReport(String url, String hostName, int httpsPort, int mqttPort, DataDirectory data, ServerTls tls,
    String certificateOrigin, boolean firstStart, boolean developmentCa, String idScope) {

  /** One block: where to connect, what to trust, and how to go on. Contains no secret. */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append("Gatehouse service gateway is running\n");
    out.append("  service API   ").append(url).append("   (OpenAPI: ").append(url).append("/openapi.yaml)\n");
    out.append("  host name     ").append(hostName).append("   (SAS audience and connection strings)\n");
    out.append("  TLS           ").append(tls.providerDescription()).append(", TLS 1.3/1.2 only\n");
    out.append("  certificate   ").append(certificateOrigin).append('\n');
    if (developmentCa) {
      out.append("  trust this CA ").append(data.caCertificate()).append('\n');
    }
    out.append("  data          ").append(data.root()).append('\n');
    out.append("  operator      ").append(data.operatorCredential())
        .append(firstStart ? "   (created now, mode 0600)" : "").append('\n');
    out.append("  device MQTT   mqtts://").append(hostName).append(':').append(mqttPort)
        .append("   (MQTT 3.1.1 and 5; user {host}/{deviceId}/?api-version=…, password = device SAS token)\n");
    out.append("  device HTTPS  ").append(url).append("/devices/{id}/messages/events   (Azure IoT Hub HTTPS device API)\n");
    out.append("  provisioning  ID scope ").append(idScope).append("   (Azure DPS-compatible: global endpoint ")
        .append(hostName).append(':').append(httpsPort).append(", PUT /").append(idScope)
        .append("/registrations/{registrationId}/register)\n");
    out.append("\nCreate a first device, from this directory:\n");
    out.append("  ./gatehouse device create my-device        (prints its connection string)\n");
    out.append("  ./gatehouse telemetry watch                (follow what devices send)\n");
    out.append("Stop with Ctrl-C or SIGTERM: requests in flight finish, then the store closes.\n");
    return out.toString();
  }
}
