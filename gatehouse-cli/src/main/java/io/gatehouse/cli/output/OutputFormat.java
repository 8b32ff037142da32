package io.gatehouse.cli.output;

/** How results are printed. Constants are lower case because they are the option values. */
public enum OutputFormat {
  /** Aligned columns for lists, {@code key: value} lines for single objects. */
  table,
  /** The server's JSON, pretty-printed, with the server's field names. */
  json
}
