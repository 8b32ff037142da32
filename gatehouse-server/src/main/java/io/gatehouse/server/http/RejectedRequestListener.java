package io.gatehouse.server.http;

import java.net.SocketAddress;

/**
 * Told about requests the transport refuses before any handler sees them (oversized, malformed,
 * too slow), so they can be audited. Called off the event loop's critical path; must not block long.
 */
@FunctionalInterface
public interface RejectedRequestListener {
  void rejected(SocketAddress remote, int status, String reason);
}
