package io.gatehouse.store.sqlite;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of the SQLite store; {@link #defaults()} suits a gateway.
 *
 * @param writer queue, batch size and thread name of the group-commit writer
 * @param readConnections read-only connections kept open; more concurrent readers wait
 * @param busyTimeout how long SQLite waits on a lock held by another process (a backup, the CLI)
 */
public record SqliteSettings(WriterSettings writer, int readConnections, Duration busyTimeout) {
  public SqliteSettings {
    Objects.requireNonNull(writer, "writer");
    Objects.requireNonNull(busyTimeout, "busyTimeout");
    if (readConnections < 1) {
      throw new IllegalArgumentException("readConnections must be at least 1");
    }
    if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("busyTimeout must be 0 to " + Integer.MAX_VALUE + " ms");
    }
  }

  public static SqliteSettings defaults() {
    return new SqliteSettings(WriterSettings.defaults(), 4, Duration.ofSeconds(5));
  }
}
