package io.gatehouse.cli.device;

import picocli.CommandLine.Command;

/** {@code gatehouse edge list}. */
@Command(name = "list", sortOptions = false,
    description = "List field gateways in id order (GET /devices?kind=edge; needs registry.read).")
public final class EdgeListCommand extends DeviceListBase {
  @Override
  protected String kind() {
    return DeviceKind.edge.name();
  }

  @Override
  protected String noun() {
    return "edges";
  }
}
