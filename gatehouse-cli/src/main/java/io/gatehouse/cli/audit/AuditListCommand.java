package io.gatehouse.cli.audit;

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

/** {@code gatehouse audit list [--from N] [--limit N]}. */
@Command(name = "list", sortOptions = false,
    description = "List audit entries in sequence order (GET /audit; needs audit.read).")
public final class AuditListCommand extends ApiCommand {
  static final List<Column> COLUMNS = List.of(
      Column.field("SEQ", "sequence"),
      Column.field("TIME", "time"),
      Column.field("ACTOR", "actor"),
      Column.field("ACTION", "action"),
      Column.field("TARGET", "target"),
      Column.field("OUTCOME", "outcome"),
      Column.field("SOURCE", "sourceAddress"),
      Column.field("REASON", "reason"));

  @Option(names = "--from", paramLabel = "N", description = "The first sequence number (default: the gateway's, 1).")
  Long from;

  @Option(names = "--limit", paramLabel = "N", description = "At most N entries (default: the gateway's, 100).")
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
    JsonNode page = client.get(ApiPath.of("audit").query("from", from).query("limit", limit)).body();
    if (printer.json()) {
      printer.printJson(page);
      return ExitCodes.OK;
    }
    List<JsonNode> items = new ArrayList<>();
    page.path("items").forEach(items::add);
    printer.printTable(COLUMNS, items);
    if (items.isEmpty()) {
      note("(no audit entries" + (from == null ? "" : " from " + from) + ")");
    }
    JsonNode next = page.get("next");
    if (next != null && !next.isNull()) {
      note("(more entries: gatehouse audit list --from " + next.asText() + ")");
    }
    return ExitCodes.OK;
  }
}
