package io.gatehouse.cli.ca;

import io.gatehouse.cli.common.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code gatehouse ca …}: CA certificates that issue device client certificates (needs admin). */
@Command(
    name = "ca",
    description = "Manage the CA certificates whose issued client certificates authenticate x509-ca "
        + "devices (needs admin).",
    subcommands = {CaAddCommand.class, CaListCommand.class, CaShowCommand.class, CaDeleteCommand.class})
public final class CaCommand {
  @Mixin
  HelpOption help;
}
