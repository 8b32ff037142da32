package io.gatehouse.cli.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.common.IdentityIdConverter;
import io.gatehouse.cli.common.KeyResults;
import io.gatehouse.cli.common.KeySlot;
import io.gatehouse.cli.common.Ttl;
import io.gatehouse.cli.output.Printer;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse device token ID}: prints the bare token and nothing else on stdout. */
@Command(name = "token", sortOptions = false,
    description = {
      "Print a SAS token the device can connect with (POST /devices/{id}/token; needs registry.write).",
      "Prints only the token (with --output json: the gateway's {\"token\",\"expiresAt\"}). "
          + "It is a bearer credential: keep it secret."
    })
public final class DeviceTokenCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "ID", converter = IdentityIdConverter.class, description = "The device id.")
  String id;

  @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "1h", converter = Ttl.Converter.class,
      description = "How long the token is valid: seconds, or a number with s, m, h or d, e.g. 90s, 30m, "
          + "1h, 7d; at least 1m, at most 365d (default: ${DEFAULT-VALUE}).")
  Duration ttl;

  @Option(names = "--key", paramLabel = "KEY", defaultValue = "primary",
      description = "Which key signs it: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  KeySlot key;

  ObjectNode body() {
    return JsonNodeFactory.instance.objectNode().put("ttlSeconds", ttl.toSeconds()).put("key", key.name());
  }

  @Override
  protected int run(ApiClient client, Printer printer) {
    JsonNode answer = client.post(DeviceViews.path(id, "token"), body()).body();
    if (printer.json()) {
      printer.printJson(answer);
    } else {
      printer.printLine(KeyResults.textField(answer, "token"));
    }
    return ExitCodes.OK;
  }
}
