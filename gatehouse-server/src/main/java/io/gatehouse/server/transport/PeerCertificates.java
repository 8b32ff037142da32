package io.gatehouse.server.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The client certificate chain of one connection, read from its TLS session once rather than for
 * every request: a session without a client certificate answers by throwing, and building that
 * exception (stack trace and all) cost more than the rest of decoding a request. Read again if the
 * connection's session changes, so it is always the current session's view. One instance per
 * connection, used on its event loop only. {@link #presented} reads once, for a caller that needs
 * the chain only once per connection (MQTT's CONNECT).
 */
public final class PeerCertificates {
  private SSLSession session;
  private List<X509Certificate> chain = List.of();

  /** Leaf first; empty when the client presented none (or the connection has no TLS). */
  List<X509Certificate> of(ChannelHandlerContext ctx) {
    SslHandler tls = ctx.pipeline().get(SslHandler.class);
    if (tls == null) {
      return List.of();
    }
    SSLSession current = tls.engine().getSession();
    if (current != session) {
      chain = read(current);
      session = current;
    }
    return chain;
  }

  /** The chain the client of {@code ctx}'s connection presented now, leaf first; empty if none. */
  public static List<X509Certificate> presented(ChannelHandlerContext ctx) {
    SslHandler tls = ctx.pipeline().get(SslHandler.class);
    return tls == null ? List.of() : read(tls.engine().getSession());
  }

  private static List<X509Certificate> read(SSLSession session) {
    List<X509Certificate> chain = new ArrayList<>();
    try {
      for (Certificate certificate : session.getPeerCertificates()) {
        if (certificate instanceof X509Certificate x509) {
          chain.add(x509);
        }
      }
    } catch (SSLPeerUnverifiedException e) {
      return List.of(); // no client certificate: the caller authenticates with a token, or not at all
    }
    return List.copyOf(chain);
  }
}
