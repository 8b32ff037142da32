package io.gatehouse.cli.enrollment;

import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.output.Printer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code gatehouse enrollment disable ID [--group]}. */
@Command(name = "disable", sortOptions = false,
    description = "Refuse every registration through the enrollment (devices already provisioned keep working) (needs enrollments.write).")
public final class EnrollmentDisableCommand extends ApiCommand {
  @Mixin
  EnrollmentTarget target;

  @Override
  protected int run(ApiClient client, Printer printer) {
    printer.printObject(client.post(target.path("disable"), null).body());
    return ExitCodes.OK;
  }
}
