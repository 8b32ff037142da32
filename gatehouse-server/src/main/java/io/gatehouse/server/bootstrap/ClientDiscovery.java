package io.gatehouse.server.bootstrap;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes {@code cli.json} so that the CLI, run in the same directory, finds the gateway's URL,
 * host name and CA without flags. Contains no secret.
 */
public final class ClientDiscovery {
  private final DataDirectory data;

  public ClientDiscovery(DataDirectory data) {
    this.data = data;
  }

  public String write(String hostName, String bindAddress, int httpsPort) {
    String url = "https://" + urlHost(hostName, bindAddress) + ":" + httpsPort;
    Map<String, String> config = new LinkedHashMap<>();
    config.put("url", url);
    config.put("hostName", hostName);
    config.put("caFile", data.caCertificate().toString());
    try {
      data.writePublic(data.cliConfig(), new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(config) + "\n");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return url;
  }

  /**
   * The CLI runs on the gateway's machine: when the gateway listens on every interface or on
   * loopback, {@code localhost} reaches it (and is in the certificate); otherwise the bound address.
   */
  static String urlHost(String hostName, String bindAddress) {
    try {
      InetAddress bind = InetAddress.getByName(bindAddress);
      if (bind.isAnyLocalAddress() || bind.isLoopbackAddress()) {
        return "localhost";
      }
    } catch (UnknownHostException e) {
      return hostName;
    }
    return hostName;
  }
}
