package io.gatehouse.server.bootstrap;

import io.gatehouse.server.tls.ServerTls;

/** What {@code gatehouse serve} tells the person who started it. */
public record StartupReport(String url, String hostName, int httpsPort, DataDirectory data, ServerTls tls,
    String certificateOrigin, boolean firstStart, boolean developmentCa) {

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
    out.append("  MQTT          not yet served (the device endpoints come next)\n");
    out.append("\nCreate a first device, from this directory:\n");
    out.append("  ./gatehouse device create my-device\n");
    out.append("Stop with Ctrl-C or SIGTERM: requests in flight finish, then the store closes.\n");
    return out.toString();
  }
}
