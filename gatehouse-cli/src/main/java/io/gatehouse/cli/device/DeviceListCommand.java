package io.gatehouse.cli.device;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gatehouse device list}. */
@Command(name = "list", sortOptions = false,
    description = "List devices and field gateways in id order (GET /devices; needs registry.read).")
public final class DeviceListCommand extends DeviceListBase {
  @Option(names = "--kind", paramLabel = "KIND", description = "Only this kind: ${COMPLETION-CANDIDATES}.")
  DeviceKind kind;

  @Override
  protected String kind() {
    return kind == null ? null : kind.name();
  }

  @Override
  protected String noun() {
    return kind == DeviceKind.edge ? "edges" : "devices";
  }
}
