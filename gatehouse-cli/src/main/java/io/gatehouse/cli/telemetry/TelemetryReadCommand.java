package io.gatehouse.cli.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.cli.CliException;
import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.client.ApiPath;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.common.IdentityIdConverter;
import io.gatehouse.cli.output.Printer;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gatehouse telemetry read [--device ID] [--from SEQ | --from-time ISO] [--limit N]}: one page. */
@Command(name = "read", sortOptions = false,
    description = {
      "Print one page of telemetry, oldest first (GET /telemetry; needs telemetry.read).",
      "Starts at the oldest message kept unless --from or --from-time says otherwise; the note on stderr "
          + "(or \"next\" in JSON) tells where the following page starts."
    })
public final class TelemetryReadCommand extends ApiCommand {
  @Option(names = "--device", paramLabel = "ID", converter = IdentityIdConverter.class,
      description = "Only this device's messages.")
  String device;

  @ArgGroup(exclusive = true)
  Start start;

  static final class Start {
    @Option(names = "--from", paramLabel = "SEQ", description = "Start at this sequence number.")
    Long from;

    @Option(names = "--from-time", paramLabel = "TIME",
        description = "Start at the first message enqueued at or after this ISO-8601 time, e.g. 2025-01-31T12:00:00Z.")
    String fromTime;
  }

  @Option(names = "--limit", paramLabel = "N", description = "At most N messages, 1 to 1000 (default: 100).")
  Integer limit;

  @Override
  protected void validate() {
    if (start != null && start.from != null && start.from < 1) {
      throw CliException.usage("--from must be at least 1, got " + start.from);
    }
    if (start != null && start.fromTime != null) {
      start.fromTime = TelemetryViews.time("--from-time", start.fromTime);
    }
    if (limit != null && (limit < 1 || limit > 1000)) {
      throw CliException.usage("--limit must be 1 to 1000, got " + limit);
    }
  }

  @Override
  protected int run(ApiClient client, Printer printer) {
    ApiPath path = ApiPath.of("telemetry").query("device", device).query("limit", limit);
    if (start != null) {
      path.query("from", start.from).query("fromTime", start.fromTime);
    }
    JsonNode page = client.get(path).body();
    if (printer.json()) {
      printer.printJson(page);
      return ExitCodes.OK;
    }
    List<JsonNode> items = new ArrayList<>();
    page.path("items").forEach(items::add);
    printer.printTable(TelemetryViews.COLUMNS, items);
    if (items.isEmpty()) {
      note("(no telemetry)");
    }
    if (page.hasNonNull("next")) {
      note("(next page: gatehouse telemetry read --from " + page.get("next").asText()
          + (device == null ? "" : " --device " + device) + ")");
    }
    return ExitCodes.OK;
  }
}
