package io.gatehouse.edge.local.modbus;

import java.time.Duration;

/** Durations the way the config writes them ({@code 500ms}, {@code 2s}), so messages quote what people typed. */
final class DurationFormat {
  private DurationFormat() {}

  static String of(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }
}
