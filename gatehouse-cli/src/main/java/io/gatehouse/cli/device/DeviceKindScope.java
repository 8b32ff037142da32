package io.gatehouse.cli.device;

import java.util.Optional;

/**
 * The command group a device subcommand runs under: {@code device} takes any kind, {@code edge}
 * only field gateways. Shared subcommands read it through {@code @ParentCommand}.
 */
public interface DeviceKindScope {
  /** The kind the subcommands must act on ({@code edge}), or empty for any. */
  Optional<String> requiredKind();

  /** The group's name, e.g. {@code device}, for messages. */
  String groupName();
}
