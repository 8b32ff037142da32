package io.gatehouse.cli.device;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.client.ApiPath;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.common.IdentityIdConverter;
import io.gatehouse.cli.output.Printer;
import io.gatehouse.cli.output.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code gatehouse edge posture EDGE_ID}: the field gateway's latest posture report. Text output
 * shows when and from where it arrived, then the report's own fields one per line (a list of
 * objects, such as the listeners, one element per line); {@code --output json} prints the answer as is.
 */
@Command(name = "posture", sortOptions = false,
    description = "Show the latest posture report of the field gateway EDGE_ID: its version, uptime, open LAN "
        + "listeners, leaves, buffer and uplink, as it last reported them (GET /edges/{id}/posture; needs "
        + "registry.read).")
public final class EdgePostureCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "EDGE_ID", converter = IdentityIdConverter.class,
      description = "The field gateway's id.")
  String edgeId;

  @Override
  protected int run(ApiClient client, Printer printer) {
    JsonNode answer = client.get(ApiPath.of("edges", edgeId, "posture")).body();
    if (printer.json()) {
      printer.printJson(answer);
    } else {
      printer.printKeyValues(lines(answer));
    }
    return ExitCodes.OK;
  }

  /** {@code edgeId}, {@code receivedAt}, {@code source}, then every non-empty field of the report. */
  static List<String[]> lines(JsonNode answer) {
    List<String[]> lines = new ArrayList<>();
    for (String field : List.of("edgeId", "receivedAt", "source")) {
      lines.add(new String[] {field, Values.text(answer.get(field))});
    }
    for (Map.Entry<String, JsonNode> field : answer.path("posture").properties()) {
      String value = text(field.getValue());
      if (!value.isEmpty()) {
        lines.add(new String[] {field.getKey(), value});
      }
    }
    return lines;
  }

  /** Like {@link Values#text}, but a list of objects puts each on its own line: "k=v, k=v" runs would blur. */
  private static String text(JsonNode value) {
    if (value.isArray() && !value.isEmpty() && value.get(0).isObject()) {
      List<String> elements = new ArrayList<>();
      value.forEach(element -> elements.add(Values.text(element)));
      return String.join("\n", elements);
    }
    return Values.text(value);
  }
}
