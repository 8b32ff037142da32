package io.gatehouse.cli.message;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.cli.CliException;
import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.client.ApiPath;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.output.Column;
import io.gatehouse.cli.output.Printer;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gatehouse message feedback [--from N] [--limit N]}. */
@Command(name = "feedback", sortOptions = false,
    description = "List the feedback on messages this identity sent with --ack (GET /messages/feedback; needs "
        + "messages.send).")
public final class MessageFeedbackCommand extends ApiCommand {
  static final List<Column> COLUMNS = List.of(
      Column.field("SEQ", "sequence"),
      Column.field("TIME", "enqueuedTimeUtc"),
      Column.field("DEVICE", "deviceId"),
      Column.field("MESSAGE ID", "originalMessageId"),
      Column.field("MESSAGE SEQ", "originalSequence"),
      Column.field("STATUS", "statusCode"),
      Column.field("DESCRIPTION", "description"));

  @Option(names = "--from", paramLabel = "N", description = "The first feedback sequence number (default: 1).")
  Long from;

  @Option(names = "--limit", paramLabel = "N", description = "At most N records (default: the gateway's, 100).")
  Integer limit;

  @Override
  protected void validate() {
    if (from != null && from < 1) {
      throw CliException.usage("--from must be at least 1, got " + from);
    }
    if (limit != null && limit < 1) {
      throw CliException.usage("--limit must be at least 1, got " + limit);
    }
  }

  @Override
  protected int run(ApiClient client, Printer printer) {
    JsonNode page = client.get(ApiPath.of("messages", "feedback").query("from", from).query("limit", limit)).body();
    if (printer.json()) {
      printer.printJson(page);
      return ExitCodes.OK;
    }
    List<JsonNode> items = new ArrayList<>();
    page.path("items").forEach(items::add);
    printer.printTable(COLUMNS, items);
    if (items.isEmpty()) {
      note("(no feedback" + (from == null ? "" : " from " + from) + ")");
    }
    JsonNode next = page.get("next");
    if (next != null && !next.isNull()) {
      note("(more feedback: gatehouse message feedback --from " + next.asText() + ")");
    }
    return ExitCodes.OK;
  }
}
