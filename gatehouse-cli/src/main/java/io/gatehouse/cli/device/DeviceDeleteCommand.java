package io.gatehouse.cli.device;

import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.common.IdentityIdConverter;
import io.gatehouse.cli.output.Printer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code gatehouse device delete ID} and {@code gatehouse edge delete ID}. */
@Command(name = "delete", sortOptions = false,
    description = {
      "Delete the ${PARENT-COMMAND-NAME} ID (DELETE /devices/{id}; needs registry.write).",
      "An edge that still has child devices is not deleted."
    })
public final class DeviceDeleteCommand extends ApiCommand {
  @ParentCommand
  DeviceKindScope scope;

  @Parameters(index = "0", paramLabel = "ID", converter = IdentityIdConverter.class, description = "The id.")
  String id;

  @Option(names = "--if-match", paramLabel = "ETAG",
      description = "Delete only if the device is unchanged since it had this etag (see `show`).")
  String ifMatch;

  @Override
  protected int run(ApiClient client, Printer printer) {
    if (scope != null && scope.requiredKind().isPresent()) {
      DeviceViews.requireKind(scope, client.get(DeviceViews.path(id)).body(), id);
    }
    client.delete(DeviceViews.path(id), ifMatch);
    if (!printer.json()) {
      printer.printLine("deleted " + (scope == null ? "device" : scope.groupName()) + " " + id);
    }
    return ExitCodes.OK;
  }
}
