package io.gatehouse.cli.service;

import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.common.IdentityIdConverter;
import io.gatehouse.cli.output.Printer;
import picocli.CommandLine.Parameters;

/** {@code service enable} and {@code service disable}: a POST to the action, then the identity. */
abstract class ServiceStatusBase extends ApiCommand {
  @Parameters(index = "0", paramLabel = "NAME", converter = IdentityIdConverter.class, description = "The name.")
  String name;

  /** The last path segment, e.g. {@code disable}. */
  protected abstract String action();

  @Override
  protected int run(ApiClient client, Printer printer) {
    ServiceViews.print(printer, client.post(ServiceViews.path(name, action()), null).body());
    return ExitCodes.OK;
  }
}
