package io.gatehouse.cli.ca;

import io.gatehouse.cli.common.IdentityIdConverter;

import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.output.Printer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code gatehouse ca delete NAME}. */
@Command(name = "delete", sortOptions = false,
    description = "Delete a CA certificate; certificates it issued no longer authenticate "
        + "(DELETE /certificates/{name}; needs admin).")
public final class CaDeleteCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "NAME", converter = IdentityIdConverter.class, description = "The certificate's name.")
  String name;

  @Override
  protected int run(ApiClient client, Printer printer) {
    client.delete(CaViews.path(name), null);
    if (!printer.json()) {
      printer.printLine("deleted CA certificate " + name);
    }
    return ExitCodes.OK;
  }
}
