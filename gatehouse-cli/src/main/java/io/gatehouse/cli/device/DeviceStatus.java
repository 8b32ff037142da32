package io.gatehouse.cli.device;

/** The status filter of {@code device list}. Lower case: these are the option and wire values. */
public enum DeviceStatus {
  enabled,
  disabled,
  quarantined
}
