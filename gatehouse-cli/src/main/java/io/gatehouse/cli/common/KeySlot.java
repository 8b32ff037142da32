package io.gatehouse.cli.common;

/** Which of an identity's two keys to use. Lower case: these are the option values. */
public enum KeySlot {
  primary,
  secondary
}
