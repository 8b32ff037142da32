package io.gatehouse.cli.device;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.common.IdentityIdConverter;
import io.gatehouse.cli.common.KeyRegeneration;
import io.gatehouse.cli.output.Printer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse device rotate-key ID}: prints the new keys. */
@Command(name = "rotate-key", sortOptions = false,
    description = {
      "Regenerate a SAS device's keys and print them (POST /devices/{id}/keys/regenerate; needs registry.write).",
      "rotate: a new key becomes primary and the old primary stays valid as secondary, so devices "
          + "keep connecting until they get the new key; primary/secondary: replace that key; swap: "
          + "exchange them."
    })
public final class DeviceRotateKeyCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "ID", converter = IdentityIdConverter.class, description = "The device id.")
  String id;

  @Option(names = "--key", paramLabel = "WHICH", defaultValue = "rotate",
      description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  KeyRegeneration key;

  @Override
  protected int run(ApiClient client, Printer printer) {
    var body = JsonNodeFactory.instance.objectNode().put("key", key.name());
    printer.printObject(client.post(DeviceViews.path(id, "keys", "regenerate"), body).body());
    return ExitCodes.OK;
  }
}
