package io.gatehouse.cli.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.cli.client.ApiPath;
import io.gatehouse.cli.output.Column;
import io.gatehouse.cli.output.Printer;
import io.gatehouse.cli.output.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Paths and output of service identities; permissions are shown in {@code --permit} syntax. */
final class ServiceViews {
  static final List<Column> COLUMNS = List.of(
      Column.field("NAME", "name"),
      Column.field("STATUS", "status"),
      new Column("PERMISSIONS", s -> String.join(" ", permits(s))),
      Column.field("UPDATED", "updatedAt"));

  private ServiceViews() {}

  static ApiPath path(String name, String... more) {
    String[] segments = new String[more.length + 2];
    segments[0] = "services";
    segments[1] = name;
    System.arraycopy(more, 0, segments, 2, more.length);
    return ApiPath.of(segments);
  }

  /** The permissions of a service view as {@code --permit} arguments. */
  static List<String> permits(JsonNode service) {
    List<String> permits = new ArrayList<>();
    service.path("permissions").forEach(grant -> permits.addAll(Permit.render(grant)));
    return permits;
  }

  /** JSON as is, or {@code key: value} lines with one permit per line. */
  static void print(Printer printer, JsonNode service) {
    if (printer.json()) {
      printer.printJson(service);
      return;
    }
    List<String[]> lines = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : service.properties()) {
      String value = field.getKey().equals("permissions")
          ? String.join("\n", permits(service))
          : Values.text(field.getValue());
      if (!value.isEmpty()) {
        lines.add(new String[] {field.getKey(), value});
      }
    }
    printer.printKeyValues(lines);
  }
}
