package io.gatehouse.cli.enrollment;

import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.client.ApiPath;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.output.Printer;
import picocli.CommandLine.Command;

/** {@code gatehouse enrollment info}. */
@Command(name = "info", sortOptions = false,
    description = "Show what devices need to provision: the ID scope and the global endpoint (GET /provisioning; "
        + "needs enrollments.read).")
public final class EnrollmentInfoCommand extends ApiCommand {
  @Override
  protected int run(ApiClient client, Printer printer) {
    printer.printObject(client.get(ApiPath.of("provisioning")).body());
    return ExitCodes.OK;
  }
}
