package io.gatehouse.edge.uplink;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the edge connects upstream.
 *
 * @param caCertificate PEM of the CA that signed the service gateway's TLS certificate, or null for
 *     the JVM's default trust store
 * @param maxBackoff the cap of the reconnect delay (see {@link #DEFAULT_MAX_BACKOFF})
 * @param inFlight publishes awaiting their PUBACK at most (the forwarder's window)
 */
public record UplinkSettings(String edgeId, String host, int port, Path caCertificate, Duration keepAlive,
    Duration initialBackoff, Duration maxBackoff, int inFlight) {
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);

  /**
   * 10 s, not the 30 s or more that clients of a shared cloud service use. With full jitter, an edge
   * whose gateway returns after a long outage waits on average a third of the cap for its next
   * attempt, at most the whole cap (delays uniform in [0, cap]: mean cap / 3, p99 0.9 × cap, so 3.3 s
   * and 9 s at 10 s against 10 s and 27 s at 30 s), and the buffer it holds waits with it. What a higher cap buys is spreading a
   * fleet's reconnections: N edges come back within one cap, most at first (the arrival rate starts
   * at 2N / cap and falls to zero). There is one edge per site, so N is the number of sites a gateway
   * serves: at 10 s, 3,500 sites peak at 700 full TLS handshakes per second, about what the gateway
   * does here (the README's connect storm), and larger fleets queue for a few seconds. While the
   * gateway is down an edge tries about 12 times a minute, each a refused TCP connection (or, if the
   * gateway refuses the credential, one handshake and one audit line). An operator with far more
   * edges per gateway raises {@code uplink.maxBackoff}.
   */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);

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
    return new UplinkSettings(edgeId, host, port, caCertificate, Duration.ofSeconds(60), DEFAULT_INITIAL_BACKOFF,
        DEFAULT_MAX_BACKOFF, 64);
  }
}
