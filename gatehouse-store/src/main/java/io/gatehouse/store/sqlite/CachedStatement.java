package io.gatehouse.store.sqlite;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConnection;
import org.sqlite.jdbc4.JDBC4PreparedStatement;

/**
 * A prepared statement that belongs to a {@link StatementCache}: {@link #close()} hands it back
 * instead of finalizing it, so the code that uses it is written as for any statement
 * ({@code try (PreparedStatement s = connection.prepareStatement(sql))}). It is the driver's own
 * statement class underneath, so reuse costs nothing per call; the cache, not its user, decides
 * when it is really closed ({@link #discard()}).
 */
final class CachedStatement extends JDBC4PreparedStatement {
  private static final Logger LOG = LoggerFactory.getLogger(CachedStatement.class);

  private final StatementCache cache;
  private final String key;
  /** Handed out and not yet closed by its user. Touched only by the connection's current thread. */
  boolean leased;
  /** An execution failed during this lease: the statement is finalized rather than reused. */
  private boolean failed;
  /**
   * The names of the result columns, read from SQLite once. The driver drops them whenever a result
   * set closes and reads them again (one JNI string per column) for the next one, which was a
   * tenth of a small query's cost; they are fixed by the SQL text, since no store query selects
   * {@code *}.
   */
  private String[] columnNames;

  CachedStatement(SQLiteConnection connection, String sql, StatementCache cache) throws SQLException {
    super(connection, sql);
    this.cache = cache;
    this.key = sql;
  }

  String key() {
    return key;
  }

  /** Hands the statement back to its cache (which resets it); a second close does nothing. */
  @Override
  public void close() {
    cache.release(this);
  }

  @Override
  public boolean isClosed() {
    return !leased || super.isClosed();
  }

  @Override
  public ResultSet executeQuery() throws SQLException {
    requireLeased();
    try {
      return super.executeQuery();
    } catch (SQLException | RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  @Override
  public ResultSet getResultSet() throws SQLException {
    if (columnNames != null && rs.colsMeta == null) {
      rs.colsMeta = columnNames;
    }
    ResultSet result = super.getResultSet();
    if (result != null) {
      columnNames = rs.colsMeta;
    }
    return result;
  }

  @Override
  public int executeUpdate() throws SQLException {
    requireLeased();
    try {
      return super.executeUpdate();
    } catch (SQLException | RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  @Override
  public long executeLargeUpdate() throws SQLException {
    requireLeased();
    try {
      return super.executeLargeUpdate();
    } catch (SQLException | RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  @Override
  public boolean execute() throws SQLException {
    requireLeased();
    try {
      return super.execute();
    } catch (SQLException | RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  @Override
  public int[] executeBatch() throws SQLException {
    requireLeased();
    try {
      return super.executeBatch();
    } catch (SQLException | RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    requireLeased();
    try {
      return super.executeLargeBatch();
    } catch (SQLException | RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  /**
   * Makes the statement as good as freshly prepared: its result set closed, the SQLite statement
   * reset (a statement left mid-result would keep its read snapshot, and with it the WAL, from
   * moving on), bound values and batch dropped (they may hold large payloads). Returns whether it
   * may be reused: not after a failed execution or a failed reset.
   */
  boolean reset() {
    boolean reusable = !failed;
    failed = false;
    try {
      rs.close();
      pointer.safeRunInt((db, statement) -> db.reset(statement));
      clearParameters();
      clearBatch();
    } catch (SQLException e) {
      LOG.debug("a cached statement did not reset and is dropped: {}", e.getMessage());
      return false;
    }
    return reusable;
  }

  /** Finalizes the statement for good. */
  void discard() {
    try {
      super.close();
    } catch (SQLException e) {
      LOG.debug("finalizing a cached statement failed: {}", e.getMessage());
    }
  }

  private void requireLeased() throws SQLException {
    if (!leased) {
      throw new SQLException("this statement was closed; prepare it again");
    }
  }
}
