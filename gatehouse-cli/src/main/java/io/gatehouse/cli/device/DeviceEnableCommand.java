package io.gatehouse.cli.device;

import picocli.CommandLine.Command;

/** {@code gatehouse device enable ID}. */
@Command(name = "enable", sortOptions = false,
    description = "Let a disabled or quarantined device connect again (POST /devices/{id}/enable; needs registry.write).")
public final class DeviceEnableCommand extends DeviceStatusBase {
  @Override
  protected String action() {
    return "enable";
  }

  @Override
  protected String reason() {
    return null;
  }
}
