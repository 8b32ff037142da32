package io.gatehouse.cli.service;

import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.common.IdentityIdConverter;
import io.gatehouse.cli.output.Printer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code gatehouse service show NAME}. */
@Command(name = "show", sortOptions = false,
    description = "Show a service identity and its permissions, without keys (GET /services/{name}; needs admin).")
public final class ServiceShowCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "NAME", converter = IdentityIdConverter.class, description = "The name.")
  String name;

  @Override
  protected int run(ApiClient client, Printer printer) {
    ServiceViews.print(printer, client.get(ServiceViews.path(name)).body());
    return ExitCodes.OK;
  }
}
