package io.gatehouse.store.sqlite;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of the SQLite store; {@link #defaults()} suits a gateway.
 *
 * @param writer queue, batch size and thread name of the group-commit writer
 * @param readConnections read-only connections kept open; more concurrent readers wait
 * @param busyTimeout how long SQLite waits on a lock held by another process (a backup, the CLI)
 * @param statementCacheSize prepared statements kept per connection (see {@link StatementCache});
 *     the stores run a few dozen distinct statements, so the default keeps all of them
 * @param checkpointInterval how often a background thread copies the WAL into the database file
 *     (see {@link WalCheckpointer})
 */
public record SqliteSettings(WriterSettings writer, int readConnections, Duration busyTimeout,
    int statementCacheSize, Duration checkpointInterval) {
  /** The statements kept per connection unless told otherwise. */
  public static final int DEFAULT_STATEMENT_CACHE_SIZE = 64;
  /** Between background checkpoints unless told otherwise. */
  public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

  public SqliteSettings {
    Objects.requireNonNull(writer, "writer");
    Objects.requireNonNull(busyTimeout, "busyTimeout");
    if (readConnections < 1) {
      throw new IllegalArgumentException("readConnections must be at least 1");
    }
    if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("busyTimeout must be 0 to " + Integer.MAX_VALUE + " ms");
    }
    if (statementCacheSize < 1) {
      throw new IllegalArgumentException("statementCacheSize must be at least 1");
    }
    Objects.requireNonNull(checkpointInterval, "checkpointInterval");
    if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
      throw new IllegalArgumentException("checkpointInterval must be positive");
    }
  }

  /** With the default statement cache and checkpoint interval. */
  public SqliteSettings(WriterSettings writer, int readConnections, Duration busyTimeout) {
    this(writer, readConnections, busyTimeout, DEFAULT_STATEMENT_CACHE_SIZE, DEFAULT_CHECKPOINT_INTERVAL);
  }

  public static SqliteSettings defaults() {
    return new SqliteSettings(WriterSettings.defaults(), 4, Duration.ofSeconds(5));
  }
}
