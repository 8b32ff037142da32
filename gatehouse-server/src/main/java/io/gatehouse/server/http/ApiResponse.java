package io.gatehouse.server.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A complete response: status, content type, extra headers, body bytes. Or, when {@code stream} is
 * set ({@link #eventStream}), the head of a Server-Sent Events response whose body the stream writes
 * over time; {@code body} is then empty.
 */
public record ApiResponse(int status, String contentType, Map<String, String> headers, byte[] body,
    StreamingResponse stream) {
  public static final String JSON = "application/json";
  public static final String PROBLEM_JSON = "application/problem+json";
  public static final String EVENT_STREAM = "text/event-stream";

  public ApiResponse {
    headers = Map.copyOf(headers);
    body = body == null || stream != null ? new byte[0] : body;
  }

  /** A complete response with its body. */
  public ApiResponse(int status, String contentType, Map<String, String> headers, byte[] body) {
    this(status, contentType, headers, body, null);
  }

  /** 200 with {@code text/event-stream}, its events written by {@code stream}. */
  public static ApiResponse eventStream(StreamingResponse stream) {
    return new ApiResponse(200, EVENT_STREAM, Map.of(), null, Objects.requireNonNull(stream, "stream"));
  }

  public boolean streaming() {
    return stream != null;
  }

  public static ApiResponse noContent() {
    return new ApiResponse(204, null, Map.of(), new byte[0]);
  }

  public ApiResponse withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new ApiResponse(status, contentType, copy, body, stream);
  }
}
