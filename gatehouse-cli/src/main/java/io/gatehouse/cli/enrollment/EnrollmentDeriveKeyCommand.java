package io.gatehouse.cli.enrollment;

import io.gatehouse.cli.common.HelpOption;
import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.provisioning.GroupKeys;
import io.gatehouse.core.provisioning.RegistrationIds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code gatehouse enrollment derive-key REGISTRATION_ID --group-key-file FILE}: computed here, the
 * gateway is not asked. The group key is read from a file so it never appears in a process listing
 * or shell history.
 */
@Command(name = "derive-key", sortOptions = false,
    description = "Print the key a member of a symmetric-key enrollment group signs with: "
        + "base64(HMAC-SHA256(group key, registration id)). Computed locally; the gateway is not contacted.")
public final class EnrollmentDeriveKeyCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  HelpOption help;

  @Parameters(index = "0", paramLabel = "REGISTRATION_ID", description = "The device's registration id, exactly "
      + "as the device will send it.")
  String registrationId;

  @Option(names = "--group-key-file", paramLabel = "FILE", required = true,
      description = "A file holding the group's base64 key (as `enrollment create --group` printed it).")
  Path groupKeyFile;

  @Override
  public Integer call() {
    try {
      RegistrationIds.requireValid(registrationId);
      String groupKey = Files.readString(groupKeyFile, StandardCharsets.US_ASCII).strip();
      spec.commandLine().getOut().println(GroupKeys.derive(groupKey, registrationId));
      spec.commandLine().getOut().flush();
      return io.gatehouse.cli.ExitCodes.OK;
    } catch (InvalidInputException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return io.gatehouse.cli.ExitCodes.USAGE;
    } catch (IOException e) {
      spec.commandLine().getErr().println("error: cannot read " + groupKeyFile + ": " + e.getMessage());
      return io.gatehouse.cli.ExitCodes.USAGE;
    }
  }
}
