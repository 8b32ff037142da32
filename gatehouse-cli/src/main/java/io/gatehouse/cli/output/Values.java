package io.gatehouse.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Renders JSON values as short text for tables: objects as {@code k=v, k=v}, arrays comma-joined. */
public final class Values {
  private Values() {}

  /** Empty for a missing or null value. */
  public static String text(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return "";
    }
    if (value.isObject()) {
      List<String> parts = new ArrayList<>();
      for (Map.Entry<String, JsonNode> entry : value.properties()) {
        String inner = text(entry.getValue());
        if (!inner.isEmpty()) {
          parts.add(entry.getKey() + "=" + inner);
        }
      }
      return String.join(", ", parts);
    }
    if (value.isArray()) {
      List<String> parts = new ArrayList<>();
      value.forEach(element -> parts.add(text(element)));
      return String.join(", ", parts);
    }
    return value.asText();
  }
}
