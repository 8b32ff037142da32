package io.gatehouse.edge.uplink;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the edge connects upstream.
 *
 * @param caCertificate PEM of the CA that signed the service gateway's TLS certificate, or null for
 *     the JVM's default trust store
 * @param inFlight publishes awaiting their PUBACK at most (the forwarder's window)
 */
public record UplinkSettings(String edgeId, String host, int port, Path caCertificate, Duration keepAlive,
    Duration initialBackoff, Duration maxBackoff, int inFlight) {
  public UplinkSettings {
    Objects.requireNonNull(edgeId, "edgeId");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(keepAlive, "keepAlive");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("uplink port must be 1 to 65535, got " + port);
    }
    if (inFlight < 1 || inFlight > 65535) {
      throw new IllegalArgumentException("uplink in-flight window must be 1 to 65535, got " + inFlight);
    }
  }

  public static UplinkSettings of(String edgeId, String host, int port, Path caCertificate) {
    return new UplinkSettings(edgeId, host, port, caCertificate, Duration.ofSeconds(60), Duration.ofMillis(200),
        Duration.ofSeconds(30), 64);
  }
}
