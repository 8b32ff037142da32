package io.gatehouse.cli.service;

import io.gatehouse.cli.common.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code gatehouse service …}: service identities (needs admin). */
@Command(
    name = "service",
    description = "Manage service identities: back-end applications and operators, each with its own "
        + "keys and permissions (needs admin).",
    subcommands = {
      ServiceCreateCommand.class,
      ServiceShowCommand.class,
      ServiceListCommand.class,
      ServiceDeleteCommand.class,
      ServiceEnableCommand.class,
      ServiceDisableCommand.class,
      ServiceConnectionStringCommand.class,
      ServiceRotateKeyCommand.class,
      ServiceTokenCommand.class
    })
public final class ServiceCommand {
  @Mixin
  HelpOption help;
}
