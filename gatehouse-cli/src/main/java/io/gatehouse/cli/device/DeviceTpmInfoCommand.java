package io.gatehouse.cli.device;

import io.gatehouse.cli.CliContext;
import io.gatehouse.cli.CliException;
import io.gatehouse.device.tpm.TpmIdentity;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gatehouse device tpm-info --tpm ADDRESS}: what an operator needs to enroll this TPM. The
 * EK's public part and the registration id derived from it are public; nothing secret is printed.
 */
@Command(name = "tpm-info", sortOptions = false,
    description = "Print a TPM's registration id and endorsement key (public) for `enrollment create "
        + "--tpm-endorsement-key`. Creates the TPM's EK, SRK and signing key on first use.")
public final class DeviceTpmInfoCommand extends LocalDeviceCommand {
  @Option(names = "--tpm", paramLabel = "ADDRESS", required = true,
      description = "swtpm://HOST:PORT (the simulator's TCP server) or a device such as /dev/tpmrm0.")
  String tpm;

  @Option(names = "--ek-out", paramLabel = "FILE",
      description = "Also write the endorsement key (base64 TPM2B_PUBLIC) to FILE.")
  Path ekOut;

  @Override
  protected void run(PrintWriter out, CliContext context) throws IOException {
    try (TpmIdentity identity = TpmIdentity.open(tpm)) {
      String ek = Base64.getEncoder().encodeToString(identity.endorsementKey());
      out.println("tpm:            " + identity.describeTpm());
      out.println("registrationId: " + identity.registrationId());
      out.println("endorsementKey: " + ek);
      out.println("identityKey:    " + (identity.hasIdentityKey() ? "present (0x81000100)" : "none yet"));
      if (ekOut != null) {
        try {
          Files.writeString(ekOut, ek + "\n");
        } catch (IOException e) {
          throw CliException.usage("cannot write " + ekOut + ": " + e.getMessage());
        }
      }
    }
  }
}
