package io.gatehouse.store.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import org.sqlite.SQLiteConfig;

/**
 * Opens connections to one database file, every one with the same safety settings and its own
 * {@link StatementCache} ({@link CachingConnection}).
 */
final class SqliteConnections {
  private final String file;
  private final Duration busyTimeout;
  private final int statementCacheSize;

  SqliteConnections(Path file, Duration busyTimeout) {
    this(file, busyTimeout, SqliteSettings.DEFAULT_STATEMENT_CACHE_SIZE);
  }

  SqliteConnections(Path file, Duration busyTimeout, int statementCacheSize) {
    this.file = file.toAbsolutePath().toString();
    this.busyTimeout = busyTimeout;
    this.statementCacheSize = statementCacheSize;
  }

  /** The connection for the single writer, in auto-commit mode (the writer runs its own BEGIN/COMMIT). */
  CachingConnection openWriter() throws SQLException {
    CachingConnection connection = open();
    try {
      // WAL: readers never block the writer nor see its uncommitted work. It is a property of the
      // file, so setting it here, before any reader exists, covers every later connection.
      String mode = pragma(connection, "PRAGMA journal_mode = WAL");
      if (!"wal".equals(mode.toLowerCase(Locale.ROOT))) {
        throw new SQLException("the database could not switch to WAL journaling (it reports '" + mode
            + "'); it needs a local file system that supports shared memory");
      }
      requirePragma(connection, "synchronous", "2");
      requirePragma(connection, "foreign_keys", "1");
      // Checkpoints are a background thread's job; the writer's own is only the backstop.
      pragma(connection, "PRAGMA wal_autocheckpoint = " + WalCheckpointer.WRITER_CHECKPOINT_PAGES);
      return connection;
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /** A connection for the background checkpoint (see {@link WalCheckpointer}); it writes no data. */
  CachingConnection openCheckpointer() throws SQLException {
    return open();
  }

  /** A connection that refuses to write, for the read pool. */
  CachingConnection openReader() throws SQLException {
    CachingConnection connection = open();
    try {
      pragma(connection, "PRAGMA query_only = ON");
      return connection;
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  private CachingConnection open() throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    // FULL, not NORMAL: in WAL mode NORMAL may lose the last commits on power loss, and a
    // gateway acknowledges a write (and its audit line) only once it is durable.
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout((int) busyTimeout.toMillis());
    // Nothing reads generated keys (every id is chosen by Gatehouse), and the driver would otherwise
    // run a "SELECT last_insert_rowid()" after every insert: a measurable share of a telemetry append.
    config.setGetGeneratedKeys(false);
    return new CachingConnection("jdbc:sqlite:" + file, file, config.toProperties(), statementCacheSize);
  }

  private static void requirePragma(Connection connection, String name, String expected) throws SQLException {
    String actual = pragma(connection, "PRAGMA " + name);
    if (!expected.equals(actual)) {
      throw new SQLException("SQLite setting " + name + " is " + actual + ", expected " + expected);
    }
  }

  private static String pragma(Connection connection, String sql) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      if (!statement.execute()) {
        return "";
      }
      try (ResultSet rs = statement.getResultSet()) {
        return rs.next() ? rs.getString(1) : "";
      }
    }
  }
}
