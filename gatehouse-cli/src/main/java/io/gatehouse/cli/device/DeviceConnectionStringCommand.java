package io.gatehouse.cli.device;

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

/** {@code gatehouse device connection-string ID}: a secret the operator asked for. */
@Command(name = "connection-string", sortOptions = false,
    description = {
      "Print the device's connection string, HostName=…;DeviceId=…;SharedAccessKey=… "
          + "(GET /devices/{id}/connection-string; needs registry.write).",
      "Prints only the connection string, so `$(gatehouse device connection-string ID)` works. It "
          + "holds the device's key: keep it secret."
    })
public final class DeviceConnectionStringCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "ID", converter = IdentityIdConverter.class, description = "The device id.")
  String id;

  @Option(names = "--key", paramLabel = "KEY", defaultValue = "primary",
      description = "Which key: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  KeySlot key;

  @Override
  protected int run(ApiClient client, Printer printer) {
    KeyResults.printConnectionString(
        client.get(DeviceViews.path(id, "connection-string").query("key", key.name())), printer);
    return ExitCodes.OK;
  }
}
