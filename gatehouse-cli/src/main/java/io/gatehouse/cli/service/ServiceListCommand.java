package io.gatehouse.cli.service;

import io.gatehouse.cli.CliException;
import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.client.ApiPath;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.common.ListPage;
import io.gatehouse.cli.output.Printer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gatehouse service list}. */
@Command(name = "list", sortOptions = false,
    description = "List service identities (GET /services; needs admin).")
public final class ServiceListCommand extends ApiCommand {
  @Option(names = "--page-size", paramLabel = "N", description = "Identities per request (default: the gateway's).")
  Integer pageSize;

  @Option(names = "--all", description = "Follow continuation tokens and list every identity.")
  boolean all;

  @Override
  protected void validate() {
    if (pageSize != null && pageSize < 1) {
      throw CliException.usage("--page-size must be at least 1, got " + pageSize);
    }
  }

  @Override
  protected int run(ApiClient client, Printer printer) {
    ListPage.fetch(client,
            token -> ApiPath.of("services").query("pageSize", pageSize).query("continuationToken", token), all)
        .print(printer, ServiceViews.COLUMNS, "service identities", this::note);
    return ExitCodes.OK;
  }
}
