package io.gatehouse.server.transport;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.server.http.ApiRequest;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

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
}
