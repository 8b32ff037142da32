package io.gatehouse.cli.device;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gatehouse device create ID}. */
@Command(name = "create", sortOptions = false,
    description = {
      "Register a device (PUT /devices/{id}; needs registry.write).",
      "Prints the device; for SAS devices also its keys and connection string. With --output json "
          + "the gateway's answer is printed as is (deviceId, connectionString, primaryKey, …)."
    })
public final class DeviceCreateCommand extends DeviceCreateBase {
  @Option(names = "--edge", description = "Register a field gateway (kind edge) instead of a device.")
  boolean edge;

  @Override
  protected String kind() {
    return edge ? "edge" : "device";
  }
}
