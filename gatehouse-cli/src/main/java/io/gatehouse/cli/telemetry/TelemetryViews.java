package io.gatehouse.cli.telemetry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.cli.CliException;
import io.gatehouse.cli.output.Column;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** How telemetry messages look in tables and in the one-line-per-message output of watch. */
final class TelemetryViews {
  static final List<Column> COLUMNS = List.of(
      Column.field("SEQ", "sequence"),
      Column.field("TIME", "enqueuedAt"),
      Column.field("DEVICE", "deviceId"),
      new Column("PAYLOAD", TelemetryViews::payload),
      new Column("PROPERTIES", TelemetryViews::properties));

  private static final ObjectMapper JSON = new ObjectMapper();

  private TelemetryViews() {}

  /** One event's data: a message as JSON. */
  static JsonNode parse(String data) {
    try {
      return JSON.readTree(data);
    } catch (JsonProcessingException e) {
      throw CliException.refused("the gateway sent an event that is not JSON: " + e.getOriginalMessage());
    }
  }

  /** {@code SEQ  TIME  DEVICE  PAYLOAD  [PROPERTIES]} on one line. */
  static String line(JsonNode message) {
    String properties = properties(message);
    return message.path("sequence").asText() + "  " + message.path("enqueuedAt").asText() + "  "
        + message.path("deviceId").asText() + "  " + payload(message)
        + (properties.isEmpty() ? "" : "  [" + properties + "]");
  }

  /** The text payload on one line (line breaks shown as \n), or {@code base64:…} for bytes. */
  static String payload(JsonNode message) {
    if (message.hasNonNull("payloadBase64")) {
      return "base64:" + message.get("payloadBase64").asText();
    }
    return message.path("payload").asText().replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n");
  }

  /** System properties, then application properties, as {@code name=value}; a bare name for no value. */
  static String properties(JsonNode message) {
    List<String> parts = new ArrayList<>();
    JsonNode properties = message.path("properties");
    for (Map.Entry<String, JsonNode> p : properties.properties()) {
      if (!p.getKey().equals("application") && p.getValue().isValueNode() && !p.getValue().isNull()) {
        parts.add(p.getKey() + "=" + p.getValue().asText());
      }
    }
    for (Map.Entry<String, JsonNode> p : properties.path("application").properties()) {
      parts.add(p.getValue().isNull() ? p.getKey() : p.getKey() + "=" + p.getValue().asText());
    }
    return String.join(", ", parts).replace("\r", "\\r").replace("\n", "\\n");
  }

  /** {@code --from-time}, checked before anything is sent. */
  static String time(String option, String value) {
    try {
      return Instant.parse(value).toString();
    } catch (DateTimeParseException e) {
      throw CliException.usage(option + " must be an ISO-8601 time with a zone, e.g. 2025-01-31T12:00:00Z, got '"
          + value + "'");
    }
  }
}
