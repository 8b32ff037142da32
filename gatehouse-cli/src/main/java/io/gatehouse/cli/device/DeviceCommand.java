package io.gatehouse.cli.device;

import io.gatehouse.cli.common.HelpOption;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code gatehouse device …}: devices and field gateways in the registry. */
@Command(
    name = "device",
    description = "Manage devices (and field gateways: `device create --edge`, or `gatehouse edge`).",
    subcommands = {
      DeviceCreateCommand.class,
      DeviceShowCommand.class,
      DeviceListCommand.class,
      DeviceUpdateCommand.class,
      DeviceDeleteCommand.class,
      DeviceEnableCommand.class,
      DeviceDisableCommand.class,
      DeviceQuarantineCommand.class,
      DeviceConnectionStringCommand.class,
      DeviceTokenCommand.class,
      DeviceRotateKeyCommand.class,
      DeviceTpmInfoCommand.class,
      DeviceProvisionCommand.class,
      DeviceSendCommand.class
    })
public final class DeviceCommand implements DeviceKindScope {
  @Mixin
  HelpOption help;

  @Override
  public Optional<String> requiredKind() {
    return Optional.empty();
  }

  @Override
  public String groupName() {
    return "device";
  }
}
