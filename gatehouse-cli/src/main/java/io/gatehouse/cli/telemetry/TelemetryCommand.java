package io.gatehouse.cli.telemetry;

import io.gatehouse.cli.common.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code gatehouse telemetry …}: the device-to-cloud log (needs telemetry.read). */
@Command(
    name = "telemetry",
    description = "Read and watch the telemetry devices send (needs telemetry.read; a scoped grant sees only "
        + "its devices).",
    subcommands = {TelemetryReadCommand.class, TelemetryWatchCommand.class})
public final class TelemetryCommand {
  @Mixin
  HelpOption help;
}
