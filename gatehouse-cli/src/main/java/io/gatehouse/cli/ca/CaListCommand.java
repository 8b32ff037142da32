package io.gatehouse.cli.ca;

import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.client.ApiPath;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.common.ListPage;
import io.gatehouse.cli.output.Printer;
import picocli.CommandLine.Command;

/** {@code gatehouse ca list}. */
@Command(name = "list", sortOptions = false,
    description = "List the CA certificates (GET /certificates; needs admin).")
public final class CaListCommand extends ApiCommand {
  @Override
  protected int run(ApiClient client, Printer printer) {
    ListPage.fetch(client, token -> ApiPath.of("certificates"), false)
        .print(printer, CaViews.COLUMNS, "CA certificates", this::note);
    return ExitCodes.OK;
  }
}
