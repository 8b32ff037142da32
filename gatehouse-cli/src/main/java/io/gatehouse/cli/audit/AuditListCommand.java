package io.gatehouse.cli.audit;

import io.gatehouse.cli.client.ApiPath;
import io.gatehouse.cli.common.SequencePageCommand;
import io.gatehouse.cli.output.Column;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code gatehouse audit list [--from N] [--limit N]}. */
@Command(name = "list", sortOptions = false,
    description = "List audit entries in sequence order (GET /audit; needs audit.read).")
public final class AuditListCommand extends SequencePageCommand {
  static final List<Column> COLUMNS = List.of(
      Column.field("SEQ", "sequence"),
      Column.field("TIME", "time"),
      Column.field("ACTOR", "actor"),
      Column.field("ACTION", "action"),
      Column.field("TARGET", "target"),
      Column.field("OUTCOME", "outcome"),
      Column.field("SOURCE", "sourceAddress"),
      Column.field("REASON", "reason"));

  @Override
  protected ApiPath path() {
    return ApiPath.of("audit");
  }

  @Override
  protected List<Column> columns() {
    return COLUMNS;
  }

  @Override
  protected String itemsName() {
    return "audit entries";
  }

  @Override
  protected String commandLine() {
    return "gatehouse audit list";
  }
}
