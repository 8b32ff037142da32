package io.gatehouse.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Savepoint;
import java.util.Properties;
import org.sqlite.jdbc4.JDBC4Connection;

/**
 * The SQLite connection every store uses: {@link #prepareStatement(String)} leases from the
 * connection's {@link StatementCache}, so the store code keeps its plain JDBC shape
 * ({@code try (PreparedStatement s = connection.prepareStatement(sql))}) while each statement is
 * compiled once per connection instead of on every call. Closing the connection finalizes the
 * cached statements first.
 */
final class CachingConnection extends JDBC4Connection {
  private final StatementCache statements;

  CachingConnection(String url, String fileName, Properties properties, int cacheCapacity) throws SQLException {
    super(url, fileName, properties);
    this.statements = new StatementCache(cacheCapacity, (sql, cache) -> new CachedStatement(this, sql, cache));
  }

  @Override
  public PreparedStatement prepareStatement(String sql) throws SQLException {
    // Null only while the driver's constructor runs (it applies the settings before this class's
    // fields are set); such statements are one-offs anyway.
    if (statements == null || isClosed()) {
      return super.prepareStatement(sql);
    }
    PreparedStatement cached = statements.lease(sql);
    return cached != null ? cached : super.prepareStatement(sql);
  }

  /**
   * Always false, although every connection runs in SQLite's own auto-commit mode: Gatehouse never
   * uses JDBC's transaction API (the writer issues BEGIN IMMEDIATE and COMMIT itself, readers and the
   * checkpointer run single statements). When this says true, sqlite-jdbc steps a {@code begin} (and,
   * outside a transaction, a {@code commit}) after every statement to make sure no transaction was
   * left open: 9 % of the telemetry writer's time under load, for nothing. {@code commit()} and
   * {@code rollback()} still see the real setting and refuse, as JDBC says they must; the savepoint
   * methods, which would trust this answer, are refused below.
   */
  @Override
  public boolean getAutoCommit() throws SQLException {
    checkOpen();
    return false;
  }

  @Override
  public Savepoint setSavepoint() throws SQLException {
    throw savepointsRefused();
  }

  @Override
  public Savepoint setSavepoint(String name) throws SQLException {
    throw savepointsRefused();
  }

  @Override
  public void releaseSavepoint(Savepoint savepoint) throws SQLException {
    throw savepointsRefused();
  }

  @Override
  public void rollback(Savepoint savepoint) throws SQLException {
    throw savepointsRefused();
  }

  private static SQLFeatureNotSupportedException savepointsRefused() {
    return new SQLFeatureNotSupportedException("JDBC savepoints are not used on Gatehouse's SQLite connections "
        + "(getAutoCommit answers false): issue SAVEPOINT / RELEASE / ROLLBACK TO as SQL, as the writer does");
  }

  @Override
  public void close() throws SQLException {
    if (statements != null) {
      statements.close();
    }
    super.close();
  }

  StatementCache.Stats statementStats() {
    return statements.stats();
  }
}
