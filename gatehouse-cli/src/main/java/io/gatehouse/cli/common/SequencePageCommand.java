package io.gatehouse.cli.common;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.cli.CliException;
import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.client.ApiPath;
import io.gatehouse.cli.output.Column;
import io.gatehouse.cli.output.Printer;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * A listing that pages by sequence number ({@code ?from=N&limit=N}, answered with
 * {@code {"items":[…],"next":N}}): the audit log, message feedback. Prints a table, or the
 * gateway's JSON, and says how to get the next page.
 */
public abstract class SequencePageCommand extends ApiCommand {
  @Option(names = "--from", paramLabel = "N", description = "The first sequence number (default: 1).")
  Long from;

  @Option(names = "--limit", paramLabel = "N", description = "At most N (default: the gateway's, 100).")
  Integer limit;

  /** The API path to page through. */
  protected abstract ApiPath path();

  protected abstract List<Column> columns();

  /** What the items are, plural, for messages: "audit entries". */
  protected abstract String itemsName();

  /** The command line that lists, for the "more" hint: "gatehouse audit list". */
  protected abstract String commandLine();

  @Override
  protected final void validate() {
    if (from != null && from < 1) {
      throw CliException.usage("--from must be at least 1, got " + from);
    }
    if (limit != null && limit < 1) {
      throw CliException.usage("--limit must be at least 1, got " + limit);
    }
  }

  @Override
  protected final int run(ApiClient client, Printer printer) {
    JsonNode page = client.get(path().query("from", from).query("limit", limit)).body();
    if (printer.json()) {
      printer.printJson(page);
      return ExitCodes.OK;
    }
    List<JsonNode> items = new ArrayList<>();
    page.path("items").forEach(items::add);
    printer.printTable(columns(), items);
    if (items.isEmpty()) {
      note("(no " + itemsName() + (from == null ? "" : " from " + from) + ")");
    }
    JsonNode next = page.get("next");
    if (next != null && !next.isNull()) {
      note("(more " + itemsName() + ": " + commandLine() + " --from " + next.asText() + ")");
    }
    return ExitCodes.OK;
  }
}
