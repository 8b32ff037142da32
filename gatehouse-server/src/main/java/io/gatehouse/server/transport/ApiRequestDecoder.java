package io.gatehouse.server.transport;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.server.http.ApiRequest;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLPeerUnverifiedException;

/** Copies a Netty request into an {@link ApiRequest}, which outlives the request's buffers. */
final class ApiRequestDecoder {
  /** @param rawPath the path still percent-encoded, for the router, which decodes each segment itself */
  record Decoded(ApiRequest request, String rawPath) {}

  private ApiRequestDecoder() {}

  static Decoded decode(FullHttpRequest request, InetSocketAddress remote, List<X509Certificate> clientCertificates) {
    String path;
    String rawPath;
    Map<String, List<String>> query;
    try {
      QueryStringDecoder uri = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8);
      rawPath = uri.rawPath();
      path = uri.path();
      query = uri.parameters();
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("the request target is not a valid URI: " + e.getMessage());
    }
    byte[] body = ByteBufUtil.getBytes(request.content());
    ApiRequest api = new ApiRequest(request.method().name(), path, Map.of(), query, request.headers().copy(), body,
        remote, clientCertificates);
    return new Decoded(api, rawPath);
  }

  /**
   * The client certificate chain of the connection's TLS session, leaf first; empty when the client
   * presented none (or the connection has no TLS). Read per request: cheap, and always the session's
   * current view.
   */
  static List<X509Certificate> clientCertificates(ChannelHandlerContext ctx) {
    SslHandler tls = ctx.pipeline().get(SslHandler.class);
    if (tls == null) {
      return List.of();
    }
    List<X509Certificate> chain = new ArrayList<>();
    try {
      for (Certificate certificate : tls.engine().getSession().getPeerCertificates()) {
        if (certificate instanceof X509Certificate x509) {
          chain.add(x509);
        }
      }
    } catch (SSLPeerUnverifiedException e) {
      return List.of(); // no client certificate: the caller authenticates with a token, or not at all
    }
    return chain;
  }
}
