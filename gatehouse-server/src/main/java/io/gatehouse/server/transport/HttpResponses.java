package io.gatehouse.server.transport;

import io.gatehouse.server.http.ApiResponse;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Turns an {@link ApiResponse} into the bytes-on-the-wire response, with the headers every answer carries. */
final class HttpResponses {
  static final String REQUEST_ID = "X-Request-Id";
  // One year; no includeSubDomains, as the gateway's hostname may share a parent domain with plain-HTTP hosts.
  static final String STRICT_TRANSPORT_SECURITY = "max-age=31536000";

  /** Framing is the transport's business; a handler setting these could desynchronise the connection. */
  private static final Set<String> TRANSPORT_HEADERS = Set.of("content-length", "transfer-encoding", "connection",
      "keep-alive", "upgrade", "trailer", "te");

  private HttpResponses() {}

  /**
   * @param requestId echoed as {@value #REQUEST_ID}, so a client can quote it; null if there is none
   * @param requestVersion the request's HTTP version, which decides how keep-alive is signalled
   */
  static FullHttpResponse encode(ApiResponse response, String requestId, HttpVersion requestVersion,
      boolean keepAlive) {
    int status = response.status();
    boolean bodyless = status < 200 || status == 204 || status == 304;
    byte[] body = bodyless ? new byte[0] : response.body();
    FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
        Unpooled.wrappedBuffer(body));
    HttpHeaders headers = http.headers();
    common(headers, response, requestId);
    if (response.contentType() != null && !bodyless) {
      headers.set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
    }
    if (!bodyless) {
      headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    }
    if (!keepAlive) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (requestVersion.equals(HttpVersion.HTTP_1_0)) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    return http;
  }

  /**
   * The head of a streamed response ({@link ApiResponse#streaming()}): no Content-Length; chunked for
   * HTTP/1.1, delimited by the end of the connection for HTTP/1.0. The connection closes after it.
   */
  static HttpResponse encodeStreamHead(ApiResponse response, String requestId, HttpVersion requestVersion) {
    HttpResponse http = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()));
    HttpHeaders headers = http.headers();
    common(headers, response, requestId);
    headers.set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
    headers.set("X-Accel-Buffering", "no"); // tells reverse proxies such as nginx to pass events on at once
    if (!requestVersion.equals(HttpVersion.HTTP_1_0)) {
      headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    return http;
  }

  private static void common(HttpHeaders headers, ApiResponse response, String requestId) {
    headers.set(HttpHeaderNames.DATE, DateFormatter.format(new Date()));
    headers.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
    for (Map.Entry<String, String> header : response.headers().entrySet()) {
      if (!TRANSPORT_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
        headers.set(header.getKey(), header.getValue());
      }
    }
    if (requestId != null) {
      headers.set(REQUEST_ID, requestId);
    }
  }
}
