package io.gatehouse.server.transport;

import io.gatehouse.server.http.RejectedRequestListener;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells the {@link RejectedRequestListener}; a failing listener must not break the connection. */
final class Rejections {
  private static final Logger log = LoggerFactory.getLogger(Rejections.class);

  private final RejectedRequestListener listener;

  Rejections(RejectedRequestListener listener) {
    this.listener = listener;
  }

  void report(SocketAddress remote, int status, String reason) {
    try {
      listener.rejected(remote, status, reason);
    } catch (RuntimeException e) {
      log.warn("the rejected-request listener failed for {} {} ({})", remote, status, reason, e);
    }
  }
}
