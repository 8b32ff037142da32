package io.gatehouse.cli.enrollment;

import io.gatehouse.cli.common.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code gatehouse enrollment …}: who may provision through the DPS-compatible provisioning service. */
@Command(
    name = "enrollment",
    description = {
      "Manage provisioning enrollments: individual ones (one registration id) and, with --group, enrollment "
          + "groups (every device that proves membership). Devices then provision with an Azure DPS client "
          + "(ID scope: `gatehouse enrollment info`)."
    },
    subcommands = {
      EnrollmentCreateCommand.class,
      EnrollmentShowCommand.class,
      EnrollmentListCommand.class,
      EnrollmentDeleteCommand.class,
      EnrollmentEnableCommand.class,
      EnrollmentDisableCommand.class,
      EnrollmentRegistrationsCommand.class,
      EnrollmentInfoCommand.class,
      EnrollmentDeriveKeyCommand.class,
      EnrollmentRegistrationTokenCommand.class
    })
public final class EnrollmentCommand {
  @Mixin
  HelpOption help;
}
