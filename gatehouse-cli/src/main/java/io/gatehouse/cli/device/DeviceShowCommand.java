package io.gatehouse.cli.device;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.common.IdentityIdConverter;
import io.gatehouse.cli.output.Printer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code gatehouse device show ID} and {@code gatehouse edge show ID}. */
@Command(name = "show", sortOptions = false,
    description = "Show the ${PARENT-COMMAND-NAME} ID without its keys (GET /devices/{id}; needs registry.read).")
public final class DeviceShowCommand extends ApiCommand {
  @ParentCommand
  DeviceKindScope scope;

  @Parameters(index = "0", paramLabel = "ID", converter = IdentityIdConverter.class, description = "The id.")
  String id;

  @Override
  protected int run(ApiClient client, Printer printer) {
    JsonNode device = client.get(DeviceViews.path(id)).body();
    DeviceViews.requireKind(scope, device, id);
    printer.printObject(device);
    return ExitCodes.OK;
  }
}
