package io.gatehouse.cli.common;

/** What {@code rotate-key} does. Lower case: these are the option and wire values. */
public enum KeyRegeneration {
  /** A new primary key. */
  primary,
  /** A new secondary key. */
  secondary,
  /** Primary and secondary change places. */
  swap,
  /** A new key becomes primary; the old primary stays valid as secondary. */
  rotate
}
