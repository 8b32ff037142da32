package io.gatehouse.store.sqlite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SQLite file as the stores use it: a single {@link SqliteWriter} and a {@link ReadPool}, opened
 * together (directories, write connection, migrations, checks, writer) and closed together.
 */
final class SqliteFile {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteFile.class);

  private final Path path;
  private final SqliteWriter writer;
  private final ReadPool readers;
  private final WalCheckpointer checkpointer;

  /** Work on the write connection after the migrations and before the writer starts. */
  @FunctionalInterface
  interface Preparation<T> {
    T prepare(Connection writeConnection) throws SQLException;
  }

  /** An opened file, with the schema version it was migrated to and what the preparation returned. */
  record Opened<T>(SqliteFile file, int schemaVersion, T prepared) {}

  private SqliteFile(Path path, SqliteWriter writer, ReadPool readers, WalCheckpointer checkpointer) {
    this.path = path;
    this.writer = writer;
    this.readers = readers;
    this.checkpointer = checkpointer;
  }

  /**
   * Opens (or creates) {@code path} and its parent directories, applies {@code migrator}, runs
   * {@code preparation} on the write connection and starts the writer. On failure the write
   * connection is closed. {@code description} ("the database") names the file in messages.
   *
   * @throws StoreFailureException if the file cannot be opened or migrated
   */
  static <T> Opened<T> open(Path path, SqliteSettings settings, String description, SchemaMigrator migrator,
      Preparation<T> preparation) {
    try {
      Files.createDirectories(path.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the directory for " + description + " " + path, e);
    }
    SqliteConnections connections = new SqliteConnections(path, settings.busyTimeout(), settings.statementCacheSize());
    Connection connection;
    try {
      connection = connections.openWriter();
    } catch (SQLException e) {
      throw new StoreFailureException("cannot open " + description + " " + path + ": " + e.getMessage(), e);
    }
    int version;
    T prepared;
    try {
      version = migrator.migrate(connection);
      prepared = preparation.prepare(connection);
    } catch (SQLException | RuntimeException e) {
      closeQuietly(connection, description);
      if (e instanceof SQLException sql) {
        throw new StoreFailureException("cannot prepare " + description + " " + path + ": " + sql.getMessage(), sql);
      }
      throw (RuntimeException) e;
    }
    WalCheckpointer checkpointer;
    try {
      checkpointer = WalCheckpointer.start(connections, settings.checkpointInterval(),
          settings.writer().threadName() + "-checkpoint");
    } catch (SQLException e) {
      closeQuietly(connection, description);
      throw new StoreFailureException("cannot open " + description + " " + path + ": " + e.getMessage(), e);
    }
    SqliteWriter writer = SqliteWriter.start(connection, settings.writer());
    ReadPool readers = new ReadPool(connections, settings.readConnections());
    return new Opened<>(new SqliteFile(path, writer, readers, checkpointer), version, prepared);
  }

  Path path() {
    return path;
  }

  SqliteWriter writer() {
    return writer;
  }

  ReadPool readers() {
    return readers;
  }

  WalCheckpointer checkpointer() {
    return checkpointer;
  }

  /** Stops the writer after what is queued commits, and closes every connection. */
  void close() {
    // Readers and checkpointer first, so that the writer's connection is the last one and SQLite
    // checkpoints the WAL into the main file as it closes.
    readers.close();
    checkpointer.close();
    writer.close();
  }

  private static void closeQuietly(Connection connection, String description) {
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.debug("closing the write connection of {} after a failed start: {}", description, e.getMessage());
    }
  }
}
