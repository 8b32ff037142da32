package io.gatehouse.server.bootstrap;

import io.gatehouse.core.error.InvalidInputException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How {@code gatehouse serve} runs. Ports may be 0 (pick a free one; tests use this).
 *
 * @param tlsCertificate with {@code tlsKey}: the operator's own PEM certificate chain and key,
 *     instead of the development CA generated on first start
 * @param tpmRoots a PEM file of TPM manufacturers' root certificates, which EK certificates of TPM
 *     enrollments must chain to; {@code null}: none (EKs can then only be pinned without a certificate)
 */
public record GatewayConfig(Path dataDirectory, String hostName, String bindAddress, int httpsPort, int mqttPort,
    Path tlsCertificate, Path tlsKey, int maxRequestBodyBytes, Path tpmRoots) {
  public static final int DEFAULT_HTTPS_PORT = 8443;
  public static final int DEFAULT_MQTT_PORT = 8883;
  public static final int DEFAULT_MAX_BODY = 64 * 1024;

  public GatewayConfig(Path dataDirectory, String hostName, String bindAddress, int httpsPort, int mqttPort,
      Path tlsCertificate, Path tlsKey, int maxRequestBodyBytes) {
    this(dataDirectory, hostName, bindAddress, httpsPort, mqttPort, tlsCertificate, tlsKey, maxRequestBodyBytes, null);
  }

  public GatewayConfig {
    Objects.requireNonNull(dataDirectory, "dataDirectory");
    if (hostName == null || !hostName.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")) {
      throw new InvalidInputException("hostname '" + hostName + "' is not a valid DNS name");
    }
    requirePort("https-port", httpsPort);
    requirePort("mqtt-port", mqttPort);
    if ((tlsCertificate == null) != (tlsKey == null)) {
      throw new InvalidInputException("--tls-cert and --tls-key go together: give both or neither");
    }
    if (bindAddress == null || bindAddress.isBlank()) {
      bindAddress = "0.0.0.0";
    }
  }

  public static GatewayConfig defaults(Path dataDirectory) {
    return new GatewayConfig(dataDirectory, "localhost", "0.0.0.0", DEFAULT_HTTPS_PORT, DEFAULT_MQTT_PORT, null,
        null, DEFAULT_MAX_BODY, null);
  }

  private static void requirePort(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new InvalidInputException(name + " must be 0 to 65535, got " + port);
    }
  }
}
