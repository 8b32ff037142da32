package io.gatehouse.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-connection statement cache, on real SQLite connections. */
class StatementCacheTest {
  private static final String INSERT = "INSERT INTO t (id, v) VALUES (?, ?)";
  private static final String BY_ID = "SELECT v FROM t WHERE id = ?";

  @TempDir Path dir;
  private SqliteConnections connections;
  private CachingConnection writer;
  private final List<Connection> opened = new ArrayList<>();

  @BeforeEach
  void setUp() throws SQLException {
    connections = new SqliteConnections(dir.resolve("cache.db"), Duration.ofSeconds(5), 3);
    writer = connections.openWriter();
    opened.add(writer);
    try (PreparedStatement create =
        writer.prepareStatement("CREATE TABLE t (id BIGINT NOT NULL PRIMARY KEY, v TEXT)")) {
      create.execute();
    }
  }

  @AfterEach
  void tearDown() throws SQLException {
    for (Connection connection : opened) {
      connection.close();
    }
  }

  @Test
  void aClosedStatementIsReusedAndGivesTheRightResultsWithNewParameters() throws SQLException {
    insert(1, "one");
    insert(2, "two");
    PreparedStatement first;
    try (PreparedStatement query = writer.prepareStatement(BY_ID)) {
      first = query;
      assertThat(valueOf(query, 1)).isEqualTo("one");
    }
    StatementCache.Stats before = writer.statementStats();
    try (PreparedStatement query = writer.prepareStatement(BY_ID)) {
      assertThat(query).isSameAs(first);
      assertThat(valueOf(query, 2)).isEqualTo("two");
      assertThat(valueOf(query, 3)).isNull();
    }
    StatementCache.Stats after = writer.statementStats();
    assertThat(after.hits()).isEqualTo(before.hits() + 1);
    assertThat(after.prepared()).isEqualTo(before.prepared());
  }

  @Test
  void columnsAreFoundByNameOnEveryReuse() throws SQLException {
    insert(1, "one");
    insert(2, "two");
    for (long id : new long[] {1, 2, 1}) {
      try (PreparedStatement query = writer.prepareStatement("SELECT id AS key, v AS value FROM t WHERE id = ?")) {
        query.setLong(1, id);
        try (ResultSet rs = query.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getLong("key")).isEqualTo(id);
          assertThat(rs.getString("value")).isEqualTo(id == 1 ? "one" : "two");
          assertThat(rs.getMetaData().getColumnName(2)).isEqualTo("value");
        }
      }
    }
    assertThat(writer.statementStats().hits()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void parametersDoNotCarryOverFromOneUseToTheNext() throws SQLException {
    try (PreparedStatement echo = writer.prepareStatement("SELECT ?")) {
      echo.setString(1, "secret of the previous caller");
      try (ResultSet rs = echo.executeQuery()) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("secret of the previous caller");
      }
    }
    try (PreparedStatement echo = writer.prepareStatement("SELECT ?")) {
      try (ResultSet rs = echo.executeQuery()) {
        rs.next();
        assertThat(rs.getString(1)).isNull();
      }
    }
  }

  @Test
  void holdsAtMostItsCapacityAndFinalizesWhatItEvicts() throws SQLException {
    List<CachedStatement> filled = new ArrayList<>();
    for (String sql : List.of("SELECT 1", "SELECT 2", "SELECT 3")) {
      try (PreparedStatement statement = writer.prepareStatement(sql)) {
        filled.add((CachedStatement) statement);
      }
    }
    StatementCache.Stats full = writer.statementStats();
    assertThat(full.size()).isEqualTo(3);
    assertThat(filled).noneMatch(s -> s.pointer.isClosed());

    try (PreparedStatement fourth = writer.prepareStatement("SELECT 4")) {
      assertThat(fourth).isInstanceOf(CachedStatement.class);
    }

    assertThat(writer.statementStats().size()).isEqualTo(3);
    assertThat(writer.statementStats().evicted()).isEqualTo(full.evicted() + 1);
    // The least recently used one went, and it is finalized, not just forgotten.
    assertThat(filled.get(0).pointer.isClosed()).isTrue();
    assertThat(filled.subList(1, 3)).noneMatch(s -> s.pointer.isClosed());
  }

  @Test
  void statementsInUseAreNeverEvictedAndBeyondThemStatementsAreNotCached() throws SQLException {
    try (PreparedStatement a = writer.prepareStatement("SELECT 1");
        PreparedStatement b = writer.prepareStatement("SELECT 2");
        PreparedStatement c = writer.prepareStatement("SELECT 3");
        PreparedStatement d = writer.prepareStatement("SELECT 4")) {
      assertThat(List.of(a, b, c)).allMatch(s -> s instanceof CachedStatement);
      assertThat(d).isNotInstanceOf(CachedStatement.class);
      try (ResultSet rs = d.executeQuery()) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(4);
      }
      d.close();
      assertThat(d.isClosed()).isTrue();
      assertThat(((CachedStatement) a).pointer.isClosed()).isFalse();
    }
    assertThat(writer.statementStats().uncached()).isEqualTo(1);
  }

  @Test
  void theSameSqlUsedAgainWhileInUseGetsItsOwnStatement() throws SQLException {
    insert(1, "one");
    insert(2, "two");
    try (PreparedStatement outer = writer.prepareStatement(BY_ID)) {
      outer.setLong(1, 1);
      try (ResultSet rs = outer.executeQuery()) {
        assertThat(rs.next()).isTrue();
        try (PreparedStatement inner = writer.prepareStatement(BY_ID)) {
          assertThat(inner).isNotSameAs(outer);
          assertThat(valueOf(inner, 2)).isEqualTo("two");
        }
        // The outer result set is untouched by the inner use.
        assertThat(rs.getString(1)).isEqualTo("one");
      }
    }
    assertThat(writer.statementStats().uncached()).isEqualTo(1);
  }

  @Test
  void aFailedStatementIsDroppedAndTheNextUseWorks() throws SQLException {
    insert(1, "one");
    PreparedStatement failed;
    try (PreparedStatement insert = writer.prepareStatement(INSERT)) {
      failed = insert;
      insert.setLong(1, 1);
      insert.setString(2, "duplicate");
      assertThatThrownBy(insert::executeUpdate).isInstanceOf(SQLException.class).hasMessageContaining("PRIMARY KEY");
    }
    assertThat(writer.statementStats().discarded()).isEqualTo(1);
    assertThat(((CachedStatement) failed).pointer.isClosed()).isTrue();

    try (PreparedStatement insert = writer.prepareStatement(INSERT)) {
      assertThat(insert).isNotSameAs(failed);
      insert.setLong(1, 2);
      insert.setString(2, "two");
      assertThat(insert.executeUpdate()).isEqualTo(1);
    }
    try (PreparedStatement query = writer.prepareStatement(BY_ID)) {
      assertThat(valueOf(query, 1)).isEqualTo("one");
      assertThat(valueOf(query, 2)).isEqualTo("two");
    }
  }

  @Test
  void aHalfReadResultHoldsNoSnapshotOnceItsStatementIsClosed() throws SQLException {
    for (int i = 1; i <= 3; i++) {
      insert(i, "v" + i);
    }
    CachingConnection reader = connections.openReader();
    opened.add(reader);
    PreparedStatement scan = reader.prepareStatement("SELECT v FROM t ORDER BY id");
    ResultSet rs = scan.executeQuery();
    assertThat(rs.next()).isTrue();
    insert(4, "v4");
    // Control: the open read keeps its snapshot, so the WAL cannot be checkpointed past it.
    assertThat(checkpointBlocked()).isTrue();

    scan.close(); // back to the cache, its result set neither closed nor read to the end

    insert(5, "v5");
    assertThat(checkpointBlocked()).isFalse();
    try (PreparedStatement again = reader.prepareStatement("SELECT v FROM t ORDER BY id")) {
      assertThat(again).isSameAs(scan);
      List<String> values = new ArrayList<>();
      try (ResultSet all = again.executeQuery()) {
        while (all.next()) {
          values.add(all.getString(1));
        }
      }
      assertThat(values).containsExactly("v1", "v2", "v3", "v4", "v5");
    }
  }

  @Test
  void aStatementCannotBeUsedAfterItWasClosed() throws SQLException {
    PreparedStatement kept;
    try (PreparedStatement query = writer.prepareStatement(BY_ID)) {
      kept = query;
    }
    assertThat(kept.isClosed()).isTrue();
    kept.setLong(1, 1);
    assertThatThrownBy(kept::executeQuery).isInstanceOf(SQLException.class).hasMessageContaining("closed");
    kept.close(); // closing twice is harmless
    try (PreparedStatement query = writer.prepareStatement(BY_ID)) {
      assertThat(query).isSameAs(kept);
      assertThat(valueOf(query, 1)).isNull();
    }
  }

  @Test
  void closingTheConnectionFinalizesItsCachedStatements() throws SQLException {
    CachingConnection reader = connections.openReader();
    CachedStatement cached;
    try (PreparedStatement query = reader.prepareStatement("SELECT 1")) {
      cached = (CachedStatement) query;
    }
    assertThat(cached.pointer.isClosed()).isFalse();

    reader.close();

    assertThat(cached.pointer.isClosed()).isTrue();
    assertThatThrownBy(() -> reader.prepareStatement("SELECT 1")).isInstanceOf(SQLException.class);
  }

  @Test
  void cachedStatementsFollowTheWritersSavepoints() throws Exception {
    writer.close();
    opened.clear();
    SqliteWriter sqliteWriter = SqliteWriter.start(connections.openWriter(), WriterSettings.defaults());
    try {
      sqliteWriter.execute(tx -> insertIn(tx, 1, "kept"));
      // The task inserts with the cached statement, then fails: its savepoint takes the row away.
      assertThatThrownBy(() -> sqliteWriter.execute(tx -> {
        insertIn(tx, 2, "rolled back");
        throw new IllegalStateException("task fails after its insert");
      })).isInstanceOf(IllegalStateException.class);
      sqliteWriter.execute(tx -> insertIn(tx, 3, "kept too"));
      // A task whose statement fails does not spoil the statement for the next task.
      assertThatThrownBy(() -> sqliteWriter.execute(tx -> insertIn(tx, 3, "duplicate")))
          .isInstanceOf(StoreFailureException.class);
      sqliteWriter.execute(tx -> insertIn(tx, 4, "after the failure"));
    } finally {
      sqliteWriter.close();
    }
    try (CachingConnection reader = connections.openReader();
        PreparedStatement query = reader.prepareStatement("SELECT id, v FROM t ORDER BY id");
        ResultSet rs = query.executeQuery()) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getLong(1) + "=" + rs.getString(2));
      }
      assertThat(rows).containsExactly("1=kept", "3=kept too", "4=after the failure");
    }
  }

  private static Void insertIn(WriteTransaction tx, long id, String value) throws SQLException {
    try (PreparedStatement insert = tx.connection().prepareStatement(INSERT)) {
      insert.setLong(1, id);
      insert.setString(2, value);
      insert.executeUpdate();
    }
    return null;
  }

  private void insert(long id, String value) throws SQLException {
    try (PreparedStatement insert = writer.prepareStatement(INSERT)) {
      insert.setLong(1, id);
      insert.setString(2, value);
      insert.executeUpdate();
    }
  }

  private static String valueOf(PreparedStatement query, long id) throws SQLException {
    query.setLong(1, id);
    try (ResultSet rs = query.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /**
   * Whether a reader's snapshot holds the WAL back: a passive checkpoint (which never waits) copies
   * frames only up to the oldest snapshot still open.
   */
  private boolean checkpointBlocked() throws SQLException {
    try (PreparedStatement checkpoint = writer.prepareStatement("PRAGMA wal_checkpoint(PASSIVE)");
        ResultSet rs = checkpoint.executeQuery()) {
      rs.next();
      return rs.getInt(3) < rs.getInt(2);
    }
  }

  @Test
  void jdbcSavepointsAreRefusedWithAHintSinceTheConnectionClaimsNotToAutoCommit() throws SQLException {
    assertThat(writer.getAutoCommit()).isFalse();
    assertThatThrownBy(writer::setSavepoint).isInstanceOf(SQLFeatureNotSupportedException.class)
        .hasMessageContaining("issue SAVEPOINT");
    assertThatThrownBy(() -> writer.setSavepoint("x")).isInstanceOf(SQLFeatureNotSupportedException.class);
    // What the writer does instead still works on the same connection.
    try (PreparedStatement begin = writer.prepareStatement("SAVEPOINT s");
        PreparedStatement release = writer.prepareStatement("RELEASE SAVEPOINT s")) {
      begin.execute();
      release.execute();
    }
  }
}
