package io.gatehouse.cli.device;

import io.gatehouse.cli.CliContext;
import io.gatehouse.cli.CliException;
import io.gatehouse.core.x509.TrustAnchors;
import io.gatehouse.device.provisioning.ProvisioningClient;
import io.gatehouse.device.provisioning.ProvisioningResult;
import io.gatehouse.device.tpm.TpmIdentity;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gatehouse device provision --tpm … --id-scope … --out device.yaml}: the device side of DPS
 * TPM attestation. The hub key lands in the TPM; the file written holds no secret.
 */
@Command(name = "provision", sortOptions = false,
    description = "Provision this device with TPM attestation (DPS over HTTPS) and write a device configuration "
        + "that holds no secret: the hub key stays in the TPM.")
public final class DeviceProvisionCommand extends LocalDeviceCommand {
  @Option(names = "--tpm", paramLabel = "ADDRESS", required = true,
      description = "swtpm://HOST:PORT or a device such as /dev/tpmrm0.")
  String tpm;

  @Option(names = "--id-scope", paramLabel = "SCOPE", required = true,
      description = "The provisioning service's ID scope (`gatehouse enrollment info`).")
  String idScope;

  @Option(names = "--registration-id", paramLabel = "ID",
      description = "Defaults to the id derived from the TPM's EK (as `device tpm-info` prints it).")
  String registrationId;

  @Option(names = "--endpoint", paramLabel = "URL", defaultValue = "https://localhost:8443",
      description = "The provisioning service (default: ${DEFAULT-VALUE}).")
  URI endpoint;

  @Option(names = "--ca", paramLabel = "PEM-FILE", defaultValue = "gatehouse-data/ca.pem",
      description = "The CA the gateway's certificate chains to (default: ${DEFAULT-VALUE}).")
  Path ca;

  @Option(names = "--mqtt-port", paramLabel = "PORT", defaultValue = "8883",
      description = "The gateway's MQTT port, written to the configuration (default: ${DEFAULT-VALUE}).")
  int mqttPort;

  @Option(names = "--https-port", paramLabel = "PORT",
      description = "The gateway's HTTPS device API port, written to the configuration for `device send --transport "
          + "https` (default: the --endpoint's port, as the gateway serves provisioning and the device API together).")
  Integer httpsPort;

  @Option(names = "--out", paramLabel = "FILE", required = true,
      description = "Where to write the device configuration (YAML, no secret).")
  Path out;

  @Override
  protected void run(PrintWriter print, CliContext context) {
    if (!Files.isReadable(ca)) {
      throw CliException.usage("cannot read the CA certificate " + ca + "; pass --ca (the gateway writes it as "
          + "ca.pem in its data directory)");
    }
    ProvisioningClient client = new ProvisioningClient(endpoint, TrustAnchors.sslContext(trusting(ca), ca.toString()), Duration.ofSeconds(30),
        context.clock());
    try (TpmIdentity identity = TpmIdentity.open(tpm)) {
      String id = registrationId == null ? identity.registrationId() : registrationId;
      ProvisioningResult result = client.registerWithTpm(idScope, id, identity);
      new DeviceConfig(result.assignedHub(), result.deviceId(), result.registrationId(), tpm, endpoint.getHost(),
          mqttPort, ca.toAbsolutePath().toString(), httpsPort != null ? httpsPort
              : endpoint.getPort() > 0 ? endpoint.getPort() : 443).write(out);
      print.println("registrationId: " + result.registrationId());
      print.println("assignedHub:    " + result.assignedHub());
      print.println("deviceId:       " + result.deviceId());
      print.println("substatus:      " + result.substatus());
      print.println("config:         " + out + " (no secret: the hub key is in the TPM at 0x81000100)");
    }
  }
}
