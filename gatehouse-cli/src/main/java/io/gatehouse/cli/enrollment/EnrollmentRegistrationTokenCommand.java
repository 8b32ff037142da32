package io.gatehouse.cli.enrollment;

import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.common.HelpOption;
import io.gatehouse.cli.common.Ttl;
import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.provisioning.IdScope;
import io.gatehouse.core.provisioning.RegistrationIds;
import io.gatehouse.core.sas.SasSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse enrollment registration-token REGISTRATION_ID --id-scope S --key-file F}: what a
 * DPS client sends in Authorization, for scripts and curl. Signed locally with the device's key
 * (read from a file, so it never shows in a process listing); the gateway is not contacted.
 */
@Command(name = "registration-token", sortOptions = false,
    description = "Print a registration SAS token (sr={idScope}/registrations/{id}, skn=registration) signed with "
        + "the device's key, as a DPS client sends it. Computed locally. A token registers once.")
public final class EnrollmentRegistrationTokenCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  HelpOption help;

  @Parameters(index = "0", paramLabel = "REGISTRATION_ID", description = "The device's registration id.")
  String registrationId;

  @Option(names = "--id-scope", paramLabel = "SCOPE", required = true,
      description = "The ID scope (`gatehouse enrollment info`).")
  String idScope;

  @Option(names = "--key-file", paramLabel = "FILE", required = true,
      description = "A file holding the device's base64 key: an individual enrollment's key, or a group "
          + "member's derived key (`gatehouse enrollment derive-key`).")
  Path keyFile;

  @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "1h", converter = Ttl.Converter.class,
      description = "Lifetime, e.g. 10m or 1h (default 1h; the gateway accepts at most 1 day).")
  Duration ttl;

  @Override
  public Integer call() {
    try {
      RegistrationIds.requireValid(registrationId);
      new IdScope(idScope);
      byte[] key = Base64.getDecoder().decode(Files.readString(keyFile, StandardCharsets.US_ASCII).strip());
      spec.commandLine().getOut().println(SasSigner.token(idScope + "/registrations/" + registrationId, key,
          Instant.now().plus(ttl), "registration"));
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    } catch (InvalidInputException e) {
      return usage(e.getMessage());
    } catch (IllegalArgumentException e) {
      return usage(keyFile + " does not hold a base64 key");
    } catch (IOException e) {
      return usage("cannot read " + keyFile + ": " + e.getMessage());
    }
  }

  private int usage(String message) {
    spec.commandLine().getErr().println("error: " + message);
    spec.commandLine().getErr().flush();
    return ExitCodes.USAGE;
  }
}
