package io.gatehouse.cli.enrollment;

import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.output.Printer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code gatehouse enrollment show ID [--group]}. */
@Command(name = "show", sortOptions = false,
    description = "Show an enrollment without its keys (GET /enrollments/{id} or /enrollmentGroups/{id}; "
        + "needs enrollments.read).")
public final class EnrollmentShowCommand extends ApiCommand {
  @Mixin
  EnrollmentTarget target;

  @Override
  protected int run(ApiClient client, Printer printer) {
    printer.printObject(client.get(target.path()).body());
    return ExitCodes.OK;
  }
}
