package io.gatehouse.store.sqlite;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.message.TelemetryMessage;
import io.gatehouse.store.TelemetryLog;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The telemetry log in its own SQLite file (WAL, {@code synchronous=FULL}) with its own
 * {@link SqliteWriter}, so the hot append path never queues behind registry writes and vice versa.
 *
 * <p>An append is one task for the writer: the writer commits whatever is queued (up to its batch
 * size) in one transaction and one fsync, then completes every future of the batch. Sequence and
 * enqueue time are assigned on the writer thread ({@link TelemetryHead}), so sequence order is
 * commit order and enqueue times never decrease along the log; {@link #firstSequenceAt} relies on
 * that to binary-search the primary key instead of keeping a second index on every append.
 */
public final class SqliteTelemetryLog implements TelemetryLog {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteTelemetryLog.class);
  /** The most {@link #read} returns at once; page with the next sequence for more. */
  public static final int MAX_READ = 10_000;
  /** Rows one retention transaction deletes at most, so appends keep flowing between them. */
  static final int RETENTION_CHUNK = 5_000;
  private static final int MAX_GROUP_LENGTH = 128;

  private final SqliteFile database;
  private final SqliteWriter writer;
  private final ReadPool readers;
  private final TelemetryHead head;
  private final Clock clock;
  private final AtomicBoolean closed = new AtomicBoolean();

  private SqliteTelemetryLog(SqliteFile database, TelemetryHead head, Clock clock) {
    this.database = database;
    this.writer = database.writer();
    this.readers = database.readers();
    this.head = head;
    this.clock = clock;
  }

  /**
   * Tuned for appends: a deep queue (a burst of 20,000 messages waits rather than being refused)
   * and large batches (one fsync for up to 1,000 messages).
   */
  public static SqliteSettings defaultSettings() {
    return new SqliteSettings(new WriterSettings("gatehouse-telemetry-writer", 20_000, 1_000,
        Duration.ofMillis(200)), 4, Duration.ofSeconds(5));
  }

  /** Opens (or creates) the log with {@link #defaultSettings()}. */
  public static SqliteTelemetryLog open(Path file, Clock clock) {
    return open(file, clock, defaultSettings());
  }

  /**
   * Opens (or creates) the log file and its parent directories, applies missing migrations (from
   * {@code db/telemetry}) and starts the writer. {@code clock} stamps enqueue times.
   *
   * @throws IllegalStateException if the file was written by a newer Gatehouse
   * @throws StoreFailureException if the file cannot be opened or migrated
   */
  public static SqliteTelemetryLog open(Path file, Clock clock, SqliteSettings settings) {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(settings, "settings");
    Path absolute = file.toAbsolutePath();
    SqliteFile.Opened<TelemetryHead> opened = SqliteFile.open(absolute, settings, "the telemetry log",
        SchemaMigrator.telemetry(clock), TelemetryHead::load);
    TelemetryHead head = opened.prepared();
    LOG.info("opened telemetry log {} (schema version {}, next sequence {})", absolute, opened.schemaVersion(),
        head.committedNext());
    return new SqliteTelemetryLog(opened.file(), head, clock);
  }

  @Override
  public CompletableFuture<TelemetryMessage> append(TelemetryMessage message) {
    Objects.requireNonNull(message, "message");
    int size = message.payload().length + message.properties().size();
    if (size > TelemetryMessage.MAX_SIZE) {
      return CompletableFuture.failedFuture(new InvalidInputException("message is " + size
          + " bytes with its properties; at most " + TelemetryMessage.MAX_SIZE + " are accepted"));
    }
    // Encoded here, on the caller's thread, so that the single writer thread does only database work.
    byte[] application = ApplicationPropertiesCodec.encode(message.properties().application());
    return writer.trySubmitStatement(tx -> head.append(tx, message, application, clock.millis(), this::checkpoint));
  }

  /**
   * Queues a checkpoint of the head's totals. Skipped, not waited for, when the queue is full: the
   * next multiple of {@link TelemetryHead#CHECKPOINT_EVERY} writes one, and opening only sums more rows.
   */
  private void checkpoint() {
    writer.trySubmit(tx -> {
      head.checkpoint(tx);
      return null;
    }).exceptionally(failure -> {
      LOG.debug("telemetry checkpoint not written: {}", failure.getMessage());
      return null;
    });
  }

  @Override
  public List<TelemetryMessage> read(long fromSequence, int limit) {
    if (limit < 0) {
      throw new InvalidInputException("limit must not be negative, got " + limit);
    }
    int capped = Math.min(limit, MAX_READ);
    if (capped == 0) {
      return List.of();
    }
    return readers.read(connection -> {
      List<TelemetryMessage> messages = new ArrayList<>(Math.min(capped, 1024));
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT " + TelemetryRows.COLUMNS + " FROM telemetry WHERE sequence >= ? ORDER BY sequence LIMIT ?")) {
        query.setLong(1, fromSequence);
        query.setInt(2, capped);
        try (ResultSet rs = query.executeQuery()) {
          while (rs.next()) {
            messages.add(TelemetryRows.read(rs));
          }
        }
      }
      return messages;
    });
  }

  /** {@code time} is truncated to the millisecond, like every time the store keeps. */
  @Override
  public long firstSequenceAt(Instant time) {
    Objects.requireNonNull(time, "time");
    long nextIfNone = head.committedNext();
    return readers.read(connection -> new SequenceSearch(connection).firstAtOrAfter(time.toEpochMilli(), nextIfNone));
  }

  @Override
  public long nextSequence() {
    return head.committedNext();
  }

  @Override
  public Optional<Long> committedOffset(String consumerGroup) {
    requireGroup(consumerGroup);
    return readers.read(connection -> {
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT next_sequence FROM consumer_offsets WHERE consumer_group = ?")) {
        query.setString(1, consumerGroup);
        try (ResultSet rs = query.executeQuery()) {
          return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public void commitOffset(String consumerGroup, long nextSequence) {
    requireGroup(consumerGroup);
    if (nextSequence < 0) {
      throw new InvalidInputException("a consumer group's next sequence must not be negative, got " + nextSequence);
    }
    long now = clock.millis();
    writer.execute(tx -> {
      try (PreparedStatement upsert = tx.connection().prepareStatement(
          "INSERT INTO consumer_offsets (consumer_group, next_sequence, committed_at) VALUES (?, ?, ?)"
              + " ON CONFLICT (consumer_group) DO UPDATE SET next_sequence = excluded.next_sequence,"
              + " committed_at = excluded.committed_at")) {
        upsert.setString(1, consumerGroup);
        upsert.setLong(2, nextSequence);
        upsert.setLong(3, now);
        upsert.executeUpdate();
      }
      return null;
    });
  }

  /**
   * Runs as several short write transactions of at most {@link #RETENTION_CHUNK} rows, so appends
   * are delayed by one chunk at most, never by the whole cleanup.
   */
  @Override
  public long applyRetention(Instant olderThan, long maxBytes) {
    Objects.requireNonNull(olderThan, "olderThan");
    if (maxBytes < 0) {
      throw new InvalidInputException("maxBytes must not be negative, got " + maxBytes);
    }
    long ageCutoff = firstSequenceAt(olderThan);
    long removed = 0;
    long chunk;
    do {
      chunk = writer.execute(tx -> head.deleteOldest(tx, ageCutoff, maxBytes, RETENTION_CHUNK));
      removed += chunk;
    } while (chunk == RETENTION_CHUNK);
    if (removed > 0) {
      LOG.info("telemetry retention removed {} messages (older than {} or beyond {} payload bytes)", removed,
          olderThan, maxBytes);
    }
    return removed;
  }

  /** Group-commit counters of the log's writer, for metrics: commits stay far below appends under load. */
  public SqliteWriter.Stats writerStats() {
    return writer.stats();
  }

  public Path file() {
    return database.path();
  }

  /** For tests in this package: the writer, to stall it. */
  SqliteWriter writer() {
    return writer;
  }

  /** Commits what is queued, stops the writer, closes every connection. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    database.close();
    LOG.info("closed telemetry log {}", database.path());
  }

  private static void requireGroup(String consumerGroup) {
    Objects.requireNonNull(consumerGroup, "consumerGroup");
    if (consumerGroup.isBlank() || consumerGroup.length() > MAX_GROUP_LENGTH) {
      throw new InvalidInputException("a consumer group name must be 1 to " + MAX_GROUP_LENGTH
          + " characters and not blank");
    }
  }
}
