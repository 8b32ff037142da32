package io.gatehouse.cli.enrollment;

import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.output.Printer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gatehouse enrollment delete ID [--group]}. */
@Command(name = "delete", sortOptions = false,
    description = {
      "Delete an enrollment (needs enrollments.write). No further device provisions through it; devices it "
          + "provisioned stay in the registry (disable or delete them with `gatehouse device`)."
    })
public final class EnrollmentDeleteCommand extends ApiCommand {
  @Mixin
  EnrollmentTarget target;

  @Option(names = "--if-match", paramLabel = "ETAG", description = "Delete only if unchanged since it had this etag.")
  String ifMatch;

  @Override
  protected int run(ApiClient client, Printer printer) {
    client.delete(target.path(), ifMatch);
    if (!printer.json()) {
      printer.printLine("deleted " + target.describe());
    }
    return ExitCodes.OK;
  }
}
