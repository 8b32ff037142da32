package io.gatehouse.cli.enrollment;

import io.gatehouse.cli.CliException;
import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.client.ApiPath;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.common.ListPage;
import io.gatehouse.cli.output.Printer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gatehouse enrollment list [--group]}. */
@Command(name = "list", sortOptions = false,
    description = "List individual enrollments or, with --group, enrollment groups (needs enrollments.read).")
public final class EnrollmentListCommand extends ApiCommand {
  @Option(names = "--group", description = "List enrollment groups instead of individual enrollments.")
  boolean group;

  @Option(names = "--page-size", paramLabel = "N", description = "Enrollments per request (default: the gateway's).")
  Integer pageSize;

  @Option(names = "--all", description = "Follow continuation tokens and list every enrollment.")
  boolean all;

  @Override
  protected void validate() {
    if (pageSize != null && pageSize < 1) {
      throw CliException.usage("--page-size must be at least 1, got " + pageSize);
    }
  }

  @Override
  protected int run(ApiClient client, Printer printer) {
    ListPage.fetch(client, token -> ApiPath.of(group ? "enrollmentGroups" : "enrollments").query("pageSize", pageSize)
        .query("continuationToken", token), all)
        .print(printer, EnrollmentTarget.COLUMNS, group ? "enrollment groups" : "individual enrollments", this::note);
    return ExitCodes.OK;
  }
}
