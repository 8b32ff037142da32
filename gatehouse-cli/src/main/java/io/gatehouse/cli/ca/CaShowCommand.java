package io.gatehouse.cli.ca;

import io.gatehouse.cli.common.IdentityIdConverter;

import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.output.Printer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code gatehouse ca show NAME}. */
@Command(name = "show", sortOptions = false,
    description = "Show a CA certificate: subject, SHA-256 thumbprint, validity (GET /certificates/{name}; needs admin).")
public final class CaShowCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "NAME", converter = IdentityIdConverter.class, description = "The certificate's name.")
  String name;

  @Override
  protected int run(ApiClient client, Printer printer) {
    printer.printObject(client.get(CaViews.path(name)).body());
    return ExitCodes.OK;
  }
}
