package io.gatehouse.cli.service;

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

/** {@code gatehouse service rotate-key NAME}: prints the new keys. */
@Command(name = "rotate-key", sortOptions = false,
    description = {
      "Regenerate the identity's keys and print them (POST /services/{name}/keys/regenerate; needs admin).",
      "rotate: a new key becomes primary and the old primary stays valid as secondary; "
          + "primary/secondary: replace that key; swap: exchange them. Rotating the identity this "
          + "CLI runs as makes its credential file stale: save the new connection string."
    })
public final class ServiceRotateKeyCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "NAME", converter = IdentityIdConverter.class, description = "The name.")
  String name;

  @Option(names = "--key", paramLabel = "WHICH", defaultValue = "rotate",
      description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  KeyRegeneration key;

  @Override
  protected int run(ApiClient client, Printer printer) {
    var body = JsonNodeFactory.instance.objectNode().put("key", key.name());
    ServiceViews.print(printer, client.post(ServiceViews.path(name, "keys", "regenerate"), body).body());
    return ExitCodes.OK;
  }
}
