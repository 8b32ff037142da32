package io.gatehouse.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.cli.CliException;
import java.net.URI;

/**
 * Turns an RFC 9457 problem answer into a message an operator can act on. The server's detail is
 * written for people and is kept as it is.
 */
public final class ProblemMapper {
  private static final int MAX_RAW_BODY = 200;

  private ProblemMapper() {}

  /**
   * @param body the parsed problem, or a text node holding a body that was not problem JSON
   * @param credentialSource where the credential came from, named in 401 messages
   */
  public static CliException toException(int status, JsonNode body, URI url, String credentialSource) {
    String title = text(body, "title");
    String detail = text(body, "detail");
    if (title == null && detail == null) {
      String raw = body != null && body.isTextual() ? oneLine(body.asText()) : "";
      return CliException.refused("HTTP " + status + " from " + url + (raw.isEmpty() ? "" : ": " + raw));
    }
    String what = detail != null ? detail : title;
    return switch (status) {
      case 401 -> CliException.refused("the credential was refused: " + what + " (credential from "
          + credentialSource + ")");
      case 403 -> {
        String missing = text(body, "missingPermission");
        yield CliException.refused(what + (missing == null ? "" : " (missing permission: " + missing + ")"));
      }
      default -> CliException.refused((title != null ? title : "HTTP " + status)
          + (detail != null ? ": " + detail : ""));
    };
  }

  private static String text(JsonNode body, String field) {
    if (body == null || !body.isObject()) {
      return null;
    }
    JsonNode value = body.get(field);
    return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
  }

  private static String oneLine(String text) {
    String line = text.strip().replaceAll("\\s+", " ");
    return line.length() > MAX_RAW_BODY ? line.substring(0, MAX_RAW_BODY) + "…" : line;
  }
}
