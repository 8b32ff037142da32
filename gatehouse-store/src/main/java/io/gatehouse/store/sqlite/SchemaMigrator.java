package io.gatehouse.store.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the schema up to date at start. Each applied migration is a row of
 * {@code schema_version}; missing ones run in version order, each in its own transaction (DDL is
 * transactional in SQLite and PostgreSQL), so a crash mid-upgrade leaves a consistent version.
 * A database written by a newer Gatehouse is refused rather than misread.
 */
final class SchemaMigrator {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

  /** One script, {@code <location>/V<version>__<description>.sql} on the class path. */
  record Migration(int version, String description) {
    Migration {
      if (version < 1) {
        throw new IllegalArgumentException("migration versions start at 1");
      }
      Objects.requireNonNull(description, "description");
    }

    String resource(String location) {
      return location + "/V" + version + "__" + description + ".sql";
    }
  }

  /** Where the main database's scripts live. */
  static final String MAIN_LOCATION = "db/migration";

  /** Append only: never edit or renumber a migration that has shipped. */
  static final List<Migration> MIGRATIONS = List.of(
      new Migration(1, "registry"),
      new Migration(2, "audit"),
      new Migration(3, "inbox"),
      new Migration(4, "edge_posture"),
      new Migration(5, "provisioning"));

  /** The telemetry log is its own database file, with its own scripts and version numbers. */
  static final String TELEMETRY_LOCATION = "db/telemetry";

  /** Append only, like {@link #MIGRATIONS}. */
  static final List<Migration> TELEMETRY_MIGRATIONS = List.of(
      new Migration(1, "telemetry"));

  private final String location;
  private final List<Migration> migrations;
  private final Clock clock;

  SchemaMigrator(List<Migration> migrations, Clock clock) {
    this(MAIN_LOCATION, migrations, clock);
  }

  SchemaMigrator(String location, List<Migration> migrations, Clock clock) {
    this.location = Objects.requireNonNull(location, "location");
    for (int i = 0; i < migrations.size(); i++) {
      if (migrations.get(i).version() != i + 1) {
        throw new IllegalArgumentException("migrations must be numbered 1, 2, 3… without gaps");
      }
    }
    this.migrations = List.copyOf(migrations);
    this.clock = clock;
  }

  /** The main database: registry, audit, inbox, edge postures. */
  static SchemaMigrator standard(Clock clock) {
    return new SchemaMigrator(MAIN_LOCATION, MIGRATIONS, clock);
  }

  /** The telemetry log's database. */
  static SchemaMigrator telemetry(Clock clock) {
    return new SchemaMigrator(TELEMETRY_LOCATION, TELEMETRY_MIGRATIONS, clock);
  }

  int latestVersion() {
    return migrations.size();
  }

  /**
   * Applies what is missing on {@code connection} (auto-commit mode); returns the resulting version.
   *
   * @throws IllegalStateException if the database is newer than this code
   */
  int migrate(Connection connection) throws SQLException {
    exec(connection, "CREATE TABLE IF NOT EXISTS schema_version ("
        + " version BIGINT NOT NULL PRIMARY KEY,"
        + " description TEXT NOT NULL,"
        + " applied_at BIGINT NOT NULL)");
    requireNotNewer(currentVersion(connection));
    for (Migration migration : migrations) {
      apply(connection, migration);
    }
    return currentVersion(connection);
  }

  private void apply(Connection connection, Migration migration) throws SQLException {
    List<String> statements = SqlScript.statements(load(migration));
    String resource = migration.resource(location);
    // IMMEDIATE takes the write lock before re-reading the version, so two processes starting
    // on the same file cannot both apply the same migration.
    exec(connection, "BEGIN IMMEDIATE");
    try {
      int current = currentVersion(connection);
      requireNotNewer(current);
      if (current >= migration.version()) {
        exec(connection, "ROLLBACK");
        return;
      }
      for (String statement : statements) {
        exec(connection, statement);
      }
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
        insert.setLong(1, migration.version());
        insert.setString(2, migration.description());
        insert.setLong(3, clock.millis());
        insert.executeUpdate();
      }
      exec(connection, "COMMIT");
      LOG.info("database schema migrated to version {} ({})", migration.version(), migration.description());
    } catch (SQLException | RuntimeException e) {
      try {
        exec(connection, "ROLLBACK");
      } catch (SQLException ignored) {
        // The failure that got us here is the one to report.
      }
      if (e instanceof SQLException sql) {
        throw new SQLException("database migration " + resource + " failed: " + sql.getMessage(), sql);
      }
      throw e;
    }
  }

  private void requireNotNewer(int current) {
    if (current > latestVersion()) {
      throw new IllegalStateException("the database schema is version " + current
          + ", newer than this Gatehouse supports (version " + latestVersion()
          + "): it was written by a newer release. Run that release, or restore a backup taken before the upgrade");
    }
  }

  private static int currentVersion(Connection connection) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT MAX(version) FROM schema_version");
        ResultSet rs = query.executeQuery()) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  private String load(Migration migration) {
    String resource = migration.resource(location);
    try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("migration script " + resource + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("migration script " + resource + " cannot be read", e);
    }
  }

  private static void exec(Connection connection, String sql) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.execute();
    }
  }
}
