package io.gatehouse.server.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** A complete response: status, content type, extra headers, body bytes. */
public record ApiResponse(int status, String contentType, Map<String, String> headers, byte[] body) {
  public static final String JSON = "application/json";
  public static final String PROBLEM_JSON = "application/problem+json";

  public ApiResponse {
    headers = Map.copyOf(headers);
    body = body == null ? new byte[0] : body;
  }

  public static ApiResponse noContent() {
    return new ApiResponse(204, null, Map.of(), new byte[0]);
  }

  public ApiResponse withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new ApiResponse(status, contentType, copy, body);
  }
}
