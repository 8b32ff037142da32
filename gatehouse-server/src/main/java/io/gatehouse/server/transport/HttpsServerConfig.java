package io.gatehouse.server.transport;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timeouts of the HTTPS listener.
 *
 * @param bindAddress where to listen; port 0 picks a free port (see {@link HttpsServer#port()})
 * @param maxBodyBytes largest request body accepted; larger ones get 413 before they are buffered
 * @param maxInitialLineBytes longest request line; longer ones get 414
 * @param maxHeaderBytes largest header section; larger ones get 431
 * @param maxInFlightRequests handler executions running at once across all connections; more get 503
 * @param maxPipelinedRequests requests one connection may queue behind the one being answered
 * @param handshakeTimeout a connection that has not completed the TLS handshake by then is closed
 * @param requestTimeout a connection that has not sent a complete request by then (after the handshake,
 *     or after its previous response) is closed; this also bounds idle keep-alive connections
 * @param lingerAfterRefusal after refusing a request, how long to keep reading (and discarding) what
 *     the client still sends before closing, so that it can read the refusal instead of a reset
 * @param shutdownGracePeriod how long {@link HttpsServer#close()} waits for in-flight requests
 * @param ioThreads event-loop threads; 0 means one per processor
 */
public record HttpsServerConfig(
    InetSocketAddress bindAddress,
    int maxBodyBytes,
    int maxInitialLineBytes,
    int maxHeaderBytes,
    int maxInFlightRequests,
    int maxPipelinedRequests,
    Duration handshakeTimeout,
    Duration requestTimeout,
    Duration lingerAfterRefusal,
    Duration shutdownGracePeriod,
    int ioThreads) {

  public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

  public HttpsServerConfig {
    Objects.requireNonNull(bindAddress, "bindAddress");
    requirePositive("maxBodyBytes", maxBodyBytes);
    requirePositive("maxInitialLineBytes", maxInitialLineBytes);
    requirePositive("maxHeaderBytes", maxHeaderBytes);
    requirePositive("maxInFlightRequests", maxInFlightRequests);
    requirePositive("maxPipelinedRequests", maxPipelinedRequests);
    requirePositive("handshakeTimeout", handshakeTimeout);
    requirePositive("requestTimeout", requestTimeout);
    requirePositive("lingerAfterRefusal", lingerAfterRefusal);
    Objects.requireNonNull(shutdownGracePeriod, "shutdownGracePeriod");
    if (shutdownGracePeriod.isNegative() || ioThreads < 0) {
      throw new IllegalArgumentException("shutdownGracePeriod and ioThreads must not be negative");
    }
  }

  /** 64 KiB bodies, 4 KB request line, 16 KB headers, 256 handlers at once, 10 s handshake, 30 s per request. */
  public static HttpsServerConfig defaults(InetSocketAddress bindAddress) {
    return new HttpsServerConfig(bindAddress, DEFAULT_MAX_BODY_BYTES, 4096, 16 * 1024, 256, 16,
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofSeconds(10), 0);
  }

  public HttpsServerConfig withMaxBodyBytes(int value) {
    return new HttpsServerConfig(bindAddress, value, maxInitialLineBytes, maxHeaderBytes, maxInFlightRequests,
        maxPipelinedRequests, handshakeTimeout, requestTimeout, lingerAfterRefusal, shutdownGracePeriod, ioThreads);
  }

  public HttpsServerConfig withMaxInFlightRequests(int value) {
    return new HttpsServerConfig(bindAddress, maxBodyBytes, maxInitialLineBytes, maxHeaderBytes, value,
        maxPipelinedRequests, handshakeTimeout, requestTimeout, lingerAfterRefusal, shutdownGracePeriod, ioThreads);
  }

  public HttpsServerConfig withTimeouts(Duration handshake, Duration request) {
    return new HttpsServerConfig(bindAddress, maxBodyBytes, maxInitialLineBytes, maxHeaderBytes, maxInFlightRequests,
        maxPipelinedRequests, handshake, request, lingerAfterRefusal, shutdownGracePeriod, ioThreads);
  }

  public HttpsServerConfig withShutdownGracePeriod(Duration value) {
    return new HttpsServerConfig(bindAddress, maxBodyBytes, maxInitialLineBytes, maxHeaderBytes, maxInFlightRequests,
        maxPipelinedRequests, handshakeTimeout, requestTimeout, lingerAfterRefusal, value, ioThreads);
  }

  private static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }

  private static void requirePositive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
