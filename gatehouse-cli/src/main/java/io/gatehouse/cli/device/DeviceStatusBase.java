package io.gatehouse.cli.device;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.common.IdentityIdConverter;
import io.gatehouse.cli.output.Printer;
import picocli.CommandLine.Parameters;

/** {@code enable}, {@code disable} and {@code quarantine}: a POST to the device's action, then the device. */
abstract class DeviceStatusBase extends ApiCommand {
  @Parameters(index = "0", paramLabel = "ID", converter = IdentityIdConverter.class, description = "The device id.")
  String id;

  /** The last path segment, e.g. {@code disable}. */
  protected abstract String action();

  /** Why, for the audit log and the device's statusReason; {@code null} for none. */
  protected abstract String reason();

  @Override
  protected int run(ApiClient client, Printer printer) {
    String reason = reason();
    var body = reason == null ? null : JsonNodeFactory.instance.objectNode().put("reason", reason);
    printer.printObject(client.post(DeviceViews.path(id, action()), body).body());
    return ExitCodes.OK;
  }
}
