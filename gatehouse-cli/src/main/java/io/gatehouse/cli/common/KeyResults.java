package io.gatehouse.cli.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.gatehouse.cli.CliException;
import io.gatehouse.cli.client.ApiResponse;
import io.gatehouse.cli.output.Printer;

/** Prints what the key calls of devices and services answer. */
public final class KeyResults {
  private KeyResults() {}

  /**
   * The bare connection string in table format (so {@code $(gatehouse … connection-string X)}
   * works), the server's JSON in json format.
   */
  public static void printConnectionString(ApiResponse response, Printer printer) {
    JsonNode body = response.body();
    if (printer.json() && body.isObject()) {
      printer.printJson(body);
      return;
    }
    String text = body.isObject() ? textField(body, "connectionString") : body.asText().trim();
    if (printer.json()) {
      printer.printJson(JsonNodeFactory.instance.objectNode()
          .put("connectionString", text));
    } else {
      printer.printLine(text);
    }
  }

  /** A field the gateway must have sent, or an error saying it did not. */
  public static String textField(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || !value.isTextual()) {
      throw CliException.refused("the gateway's answer has no \"" + field + "\"");
    }
    return value.asText();
  }
}
