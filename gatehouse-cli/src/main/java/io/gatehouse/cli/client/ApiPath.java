package io.gatehouse.cli.client;

import io.gatehouse.core.sas.PercentCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * A request path with percent-encoded segments and query values, e.g.
 * {@code ApiPath.of("devices", id).query("key", "primary")}. Ids may hold characters such as
 * {@code % ? $ '}, so every segment is encoded.
 */
public final class ApiPath {
  private final List<String> segments;
  private final List<String> query = new ArrayList<>();

  private ApiPath(List<String> segments) {
    this.segments = segments;
  }

  public static ApiPath of(String... segments) {
    return new ApiPath(List.of(segments));
  }

  /** Adds {@code name=value}; a {@code null} value is left out. */
  public ApiPath query(String name, Object value) {
    if (value != null) {
      query.add(PercentCodec.encode(name) + "=" + PercentCodec.encode(value.toString()));
    }
    return this;
  }

  @Override
  public String toString() {
    StringBuilder path = new StringBuilder();
    for (String segment : segments) {
      path.append('/').append(PercentCodec.encode(segment));
    }
    if (!query.isEmpty()) {
      path.append('?').append(String.join("&", query));
    }
    return path.toString();
  }
}
