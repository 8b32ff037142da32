package io.gatehouse.cli.device;

import picocli.CommandLine.Command;

/** {@code gatehouse edge create ID}. */
@Command(name = "create", sortOptions = false,
    description = {
      "Register a field gateway (PUT /devices/{id} with kind edge; needs registry.write).",
      "Prints the edge; for SAS edges also its keys and connection string."
    })
public final class EdgeCreateCommand extends DeviceCreateBase {
  @Override
  protected String kind() {
    return "edge";
  }
}
