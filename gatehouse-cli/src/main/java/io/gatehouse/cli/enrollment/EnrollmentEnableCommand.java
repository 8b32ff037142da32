package io.gatehouse.cli.enrollment;

import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.output.Printer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code gatehouse enrollment enable ID [--group]}. */
@Command(name = "enable", sortOptions = false,
    description = "Let devices provision through the enrollment again (needs enrollments.write).")
public final class EnrollmentEnableCommand extends ApiCommand {
  @Mixin
  EnrollmentTarget target;

  @Override
  protected int run(ApiClient client, Printer printer) {
    printer.printObject(client.post(target.path("enable"), null).body());
    return ExitCodes.OK;
  }
}
