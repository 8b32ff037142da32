package io.gatehouse.cli.device;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gatehouse device quarantine ID --reason TEXT}. */
@Command(name = "quarantine", sortOptions = false,
    description = {
      "Mark a device as suspected compromised: refused like a disabled device and flagged for "
          + "investigation (POST /devices/{id}/quarantine; needs registry.write)."
    })
public final class DeviceQuarantineCommand extends DeviceStatusBase {
  @Option(names = "--reason", paramLabel = "TEXT", required = true,
      description = "Why the device is suspected; kept as its statusReason and audited.")
  String reason;

  @Override
  protected String action() {
    return "quarantine";
  }

  @Override
  protected String reason() {
    return reason;
  }
}
