package io.gatehouse.store.sqlite;

import io.gatehouse.core.audit.AuditChain;
import io.gatehouse.core.audit.AuditEntry;
import io.gatehouse.core.audit.AuditEvent;
import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.store.AuditLine;
import io.gatehouse.store.AuditStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The audit log in SQLite. Appends run on the writer thread, which alone decides the next sequence
 * number: the head (last sequence and hash) is cached there, so sealing costs no extra read, and
 * the order of the chain is the order of commits. Event times are truncated to milliseconds before
 * sealing, so the hash covers exactly what is stored and a re-read entry verifies.
 */
public final class SqliteAuditStore implements AuditStore {
  /** The most {@link #read} returns at once; page with the next sequence for more. */
  public static final int MAX_READ = 10_000;

  private final SqliteWriter writer;
  private final ReadPool readers;
  private final AuditChain chain;
  // Touched only on the writer thread, so neither needs synchronisation.
  private AuditEntry head;
  private boolean headKnown;

  SqliteAuditStore(SqliteWriter writer, ReadPool readers, AuditChain chain) {
    this.writer = writer;
    this.readers = readers;
    this.chain = chain;
  }

  @Override
  public AuditEntry append(AuditEvent event) {
    Objects.requireNonNull(event, "event");
    return writer.execute(tx -> append(tx, event));
  }

  /**
   * Queues an append without waiting: the future completes once the entry is committed. For
   * callers that batch many events (and for tests of group commit).
   */
  public CompletableFuture<AuditEntry> appendAsync(AuditEvent event) {
    Objects.requireNonNull(event, "event");
    return writer.submit(tx -> append(tx, event));
  }

  @Override
  public List<AuditEntry> read(long fromSequence, int limit) {
    if (limit < 0) {
      throw new InvalidInputException("limit must not be negative, got " + limit);
    }
    int capped = Math.min(limit, MAX_READ);
    return readers.read(connection -> {
      List<AuditEntry> entries = new ArrayList<>(Math.min(capped, 256));
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT " + AuditRows.COLUMNS + " FROM audit_log WHERE sequence >= ? ORDER BY sequence LIMIT ?")) {
        query.setLong(1, fromSequence);
        query.setInt(2, capped);
        try (ResultSet rs = query.executeQuery()) {
          while (rs.next()) {
            entries.add(AuditRows.read(rs));
          }
        }
      }
      return entries;
    });
  }

  @Override
  public Optional<AuditEntry> head() {
    return readers.read(AuditRows::head);
  }

  /**
   * Appends the line of a change inside the change's own write task (so both commit or neither),
   * unless the line describes nothing. Call it after the change succeeded.
   */
  <T> void appendLine(WriteTransaction tx, AuditLine<T> line, T result) throws SQLException {
    AuditEvent event = Objects.requireNonNull(line, "audit line").describe(result);
    if (event != null) {
      append(tx, event);
    }
  }

  private AuditEntry append(WriteTransaction tx, AuditEvent event) throws SQLException {
    Connection connection = tx.connection();
    if (!headKnown) {
      head = AuditRows.head(connection).orElse(null);
      headKnown = true;
    }
    AuditEvent stored = new AuditEvent(Millis.truncate(event.time()), event.actor(), event.action(), event.target(),
        event.outcome(), event.reason(), event.sourceAddress());
    AuditEntry entry = head == null
        ? chain.seal(1, stored, AuditChain.GENESIS)
        : chain.seal(head.sequence() + 1, stored, head.hash());
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO audit_log (" + AuditRows.COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      AuditRows.bind(insert, entry);
      insert.executeUpdate();
    }
    // If this entry is not committed after all, forget the cached head and re-read it.
    tx.afterRollback(() -> headKnown = false);
    head = entry;
    return entry;
  }
}
