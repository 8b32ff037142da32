package io.gatehouse.cli.service;

import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.common.IdentityIdConverter;
import io.gatehouse.cli.common.KeyResults;
import io.gatehouse.cli.common.KeySlot;
import io.gatehouse.cli.output.Printer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse service connection-string NAME}: a secret the operator asked for. */
@Command(name = "connection-string", sortOptions = false,
    description = {
      "Print the identity's connection string, HostName=…;SharedAccessKeyName=…;SharedAccessKey=… "
          + "(GET /services/{name}/connection-string; needs admin).",
      "Prints only the connection string; save it to a file and pass --credential @FILE to act as "
          + "this identity. It holds the key: keep it secret."
    })
public final class ServiceConnectionStringCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "NAME", converter = IdentityIdConverter.class, description = "The name.")
  String name;

  @Option(names = "--key", paramLabel = "KEY", defaultValue = "primary",
      description = "Which key: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  KeySlot key;

  @Override
  protected int run(ApiClient client, Printer printer) {
    KeyResults.printConnectionString(
        client.get(ServiceViews.path(name, "connection-string").query("key", key.name())), printer);
    return ExitCodes.OK;
  }
}
