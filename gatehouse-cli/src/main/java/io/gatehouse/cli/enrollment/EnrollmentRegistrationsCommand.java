package io.gatehouse.cli.enrollment;

import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.common.ListPage;
import io.gatehouse.cli.output.Column;
import io.gatehouse.cli.output.Printer;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gatehouse enrollment registrations ID [--group]}. */
@Command(name = "registrations", sortOptions = false,
    description = "List the registrations an enrollment admitted: registration id, device, attestation, when "
        + "(needs enrollments.read).")
public final class EnrollmentRegistrationsCommand extends ApiCommand {
  private static final List<Column> COLUMNS = List.of(
      Column.field("REGISTRATION", "registrationId"),
      Column.field("DEVICE", "deviceId"),
      Column.field("ATTESTATION", "attestation"),
      Column.field("SUBSTATUS", "substatus"),
      Column.field("UPDATED", "updatedAt"));

  @Mixin
  EnrollmentTarget target;

  @Option(names = "--all", description = "Follow continuation tokens and list every registration.")
  boolean all;

  @Override
  protected int run(ApiClient client, Printer printer) {
    ListPage.fetch(client, token -> target.path("registrations").query("continuationToken", token), all)
        .print(printer, COLUMNS, "registrations", this::note);
    return ExitCodes.OK;
  }
}
