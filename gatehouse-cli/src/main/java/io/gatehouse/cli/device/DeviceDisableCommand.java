package io.gatehouse.cli.device;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gatehouse device disable ID [--reason TEXT]}. */
@Command(name = "disable", sortOptions = false,
    description = "Refuse the device's connections until it is enabled (POST /devices/{id}/disable; needs registry.write).")
public final class DeviceDisableCommand extends DeviceStatusBase {
  @Option(names = "--reason", paramLabel = "TEXT", description = "Why; kept as the device's statusReason and audited.")
  String reason;

  @Override
  protected String action() {
    return "disable";
  }

  @Override
  protected String reason() {
    return reason;
  }
}
