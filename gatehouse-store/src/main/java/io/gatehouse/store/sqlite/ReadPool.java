package io.gatehouse.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A few read-only connections, opened on demand and reused. In WAL mode they read concurrently
 * with each other and with the writer; each read runs in its own transaction so that a lookup
 * made of several statements (a device and its tags) sees one consistent state.
 */
final class ReadPool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReadPool.class);
  private final SqliteConnections connections;
  private final Semaphore permits;
  private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();
  private volatile boolean closed;

  ReadPool(SqliteConnections connections, int size) {
    this.connections = connections;
    this.permits = new Semaphore(size, true);
  }

  <T> T read(ReadTask<T> task) {
    if (closed) {
      throw new IllegalStateException("the SQLite store is closed");
    }
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreFailureException("interrupted while waiting for a database read connection", e);
    }
    Connection connection = null;
    boolean reusable = false;
    try {
      connection = idle.poll();
      if (connection == null) {
        connection = connections.openReader();
      }
      exec(connection, "BEGIN");
      try {
        T result = task.run(connection);
        exec(connection, "COMMIT");
        reusable = true;
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        reusable = rollback(connection);
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreFailureException("database read failed: " + e.getMessage(), e);
    } finally {
      if (connection != null) {
        if (reusable && !closed) {
          idle.offer(connection);
          if (closed) {
            closeIdle();
          }
        } else {
          closeQuietly(connection);
        }
      }
      permits.release();
    }
  }

  @Override
  public void close() {
    closed = true;
    closeIdle();
  }

  private void closeIdle() {
    Connection connection;
    while ((connection = idle.poll()) != null) {
      closeQuietly(connection);
    }
  }

  private static boolean rollback(Connection connection) {
    try {
      exec(connection, "ROLLBACK");
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  private static void exec(Connection connection, String sql) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.execute();
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.debug("closing a read connection failed: {}", e.getMessage());
    }
  }
}
