package io.gatehouse.cli.device;

import io.gatehouse.cli.common.HelpOption;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code gatehouse edge …}: the device commands for field gateways (kind {@code edge}). */
@Command(
    name = "edge",
    description = {
      "Manage field gateways: devices of kind edge that may speak for their child devices "
          + "(`gatehouse device create LEAF --parent EDGE`).",
      "Edges are devices: enable, disable, quarantine, connection-string, token and rotate-key are "
          + "`gatehouse device` commands."
    },
    subcommands = {
      EdgeCreateCommand.class,
      DeviceShowCommand.class,
      EdgeListCommand.class,
      DeviceDeleteCommand.class
    })
public final class EdgeCommand implements DeviceKindScope {
  @Mixin
  HelpOption help;

  @Override
  public Optional<String> requiredKind() {
    return Optional.of("edge");
  }

  @Override
  public String groupName() {
    return "edge";
  }
}
