package io.gatehouse.cli.device;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.cli.CliException;
import io.gatehouse.cli.client.ApiPath;
import io.gatehouse.cli.output.Column;
import io.gatehouse.cli.output.Values;
import java.util.List;

/** Paths, table columns and checks shared by the device and edge commands. */
final class DeviceViews {
  static final List<Column> COLUMNS = List.of(
      Column.field("ID", "deviceId"),
      Column.field("KIND", "kind"),
      Column.field("STATUS", "status"),
      new Column("AUTH", d -> Values.text(d.path("authentication").get("type"))),
      Column.field("PARENT", "parentId"),
      Column.field("TAGS", "tags"),
      Column.field("LAST ACTIVITY", "lastActivityAt"));

  private DeviceViews() {}

  static ApiPath path(String id, String... more) {
    String[] segments = new String[more.length + 2];
    segments[0] = "devices";
    segments[1] = id;
    System.arraycopy(more, 0, segments, 2, more.length);
    return ApiPath.of(segments);
  }

  /** Refuses to act on {@code device} through {@code gatehouse edge} when it is not an edge. */
  private static String article(String kind) {
    return ("aeiou".indexOf(kind.charAt(0)) >= 0 ? "an " : "a ") + kind;
  }

  static void requireKind(DeviceKindScope scope, JsonNode device, String id) {
    if (scope == null || scope.requiredKind().isEmpty()) {
      return;
    }
    String kind = device.path("kind").asText();
    if (!scope.requiredKind().get().equals(kind)) {
      throw CliException.refused("'" + id + "' is a " + (kind.isEmpty() ? "device" : kind) + ", not "
          + article(scope.requiredKind().get()) + "; use `gatehouse device` for it");
    }
  }
}
