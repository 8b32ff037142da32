package io.gatehouse.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one database's WAL into the database file from a connection and thread of its own.
 * SQLite's automatic checkpoint runs inside the commit that crosses its threshold (1,000 pages), so
 * under a steady load the writer stopped every few hundred milliseconds to copy pages and fsync
 * the database file, and every write queued behind it waited too: a tail-latency spike each time,
 * worst when other I/O makes fsyncs slow. A passive checkpoint never blocks the writer.
 *
 * <p>The writer still checkpoints by itself past {@link #WRITER_CHECKPOINT_PAGES}: SQLite restarts
 * the WAL from its beginning only when a write finds every frame copied, which a checkpoint running
 * beside a busy writer rarely leaves behind. By then this thread has copied nearly everything, so
 * the writer's own checkpoint is short, and the WAL stays bounded.
 */
final class WalCheckpointer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);
  /** The writer connection's automatic checkpoint threshold, in pages (SQLite's default: 1,000). */
  static final int WRITER_CHECKPOINT_PAGES = 10_000;

  /** Counters since start; {@code framesCopied} is the last checkpoint's. */
  record Stats(long checkpoints, long failures, int walFrames, int framesCopied) {}

  private final Connection connection;
  private final ScheduledExecutorService executor;
  private final AtomicLong checkpoints = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile int walFrames;
  private volatile int framesCopied;

  private WalCheckpointer(Connection connection, String threadName) {
    this.connection = connection;
    this.executor = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name(threadName).daemon(true).factory());
  }

  /** Opens the checkpointing connection and checkpoints every {@code interval}. */
  static WalCheckpointer start(SqliteConnections connections, Duration interval, String threadName)
      throws SQLException {
    WalCheckpointer checkpointer = new WalCheckpointer(connections.openCheckpointer(), threadName);
    long millis = Math.max(1, interval.toMillis());
    checkpointer.executor.scheduleWithFixedDelay(checkpointer::checkpoint, millis, millis, TimeUnit.MILLISECONDS);
    return checkpointer;
  }

  Stats stats() {
    return new Stats(checkpoints.get(), failures.get(), walFrames, framesCopied);
  }

  private void checkpoint() {
    try (PreparedStatement pragma = connection.prepareStatement("PRAGMA wal_checkpoint(PASSIVE)");
        ResultSet result = pragma.executeQuery()) {
      if (result.next()) {
        walFrames = result.getInt(2);
        framesCopied = result.getInt(3);
      }
      checkpoints.incrementAndGet();
    } catch (SQLException | RuntimeException e) {
      // The writer's own checkpoint still bounds the WAL; try again next time.
      failures.incrementAndGet();
      LOG.warn("background WAL checkpoint failed: {}", e.getMessage());
    }
  }

  /** Stops checkpointing (the writer's last connection checkpoints as it closes) and closes the connection. */
  @Override
  public void close() {
    executor.shutdown();
    boolean interrupted = false;
    try {
      while (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("waiting for a background WAL checkpoint to finish");
      }
    } catch (InterruptedException e) {
      interrupted = true;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.debug("closing the checkpoint connection failed: {}", e.getMessage());
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
