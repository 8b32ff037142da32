package io.gatehouse.cli.device;

/** The kind filter of {@code device list}. Lower case: these are the option and wire values. */
public enum DeviceKind {
  device,
  edge
}
