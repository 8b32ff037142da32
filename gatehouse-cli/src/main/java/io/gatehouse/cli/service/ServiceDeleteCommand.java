package io.gatehouse.cli.service;

import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.common.IdentityIdConverter;
import io.gatehouse.cli.output.Printer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse service delete NAME}. */
@Command(name = "delete", sortOptions = false,
    description = {
      "Delete a service identity; its tokens stop working (DELETE /services/{name}; needs admin).",
      "The last enabled identity holding admin cannot be deleted."
    })
public final class ServiceDeleteCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "NAME", converter = IdentityIdConverter.class, description = "The name.")
  String name;

  @Option(names = "--if-match", paramLabel = "ETAG",
      description = "Delete only if the identity is unchanged since it had this etag (see `show`).")
  String ifMatch;

  @Override
  protected int run(ApiClient client, Printer printer) {
    client.delete(ServiceViews.path(name), ifMatch);
    if (!printer.json()) {
      printer.printLine("deleted service " + name);
    }
    return ExitCodes.OK;
  }
}
