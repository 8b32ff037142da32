package io.gatehouse.store.sqlite;

import io.gatehouse.store.Durability;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction mechanics of {@link SqliteWriter}, on its thread only: a batch's tasks in as few
 * transactions as their failures allow, each task after the first in its own savepoint, the commit
 * with or without its fsync, and the futures completed only after the commit. The writer owns the
 * queue and the thread; this owns what happens to one batch on the connection.
 */
final class BatchTransactions {
  private static final Logger LOG = LoggerFactory.getLogger(BatchTransactions.class);

  private final Connection connection;
  // Read by stats() from any thread.
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong tasksCommitted = new AtomicLong();
  private final AtomicLong tasksFailed = new AtomicLong();
  private final AtomicLong deferredCommits = new AtomicLong();
  // Writer thread only: whether the connection is switched to synchronous=NORMAL.
  private boolean syncDeferred;

  BatchTransactions(Connection connection) {
    this.connection = connection;
  }

  long commits() {
    return commits.get();
  }

  long tasksCommitted() {
    return tasksCommitted.get();
  }

  long tasksFailed() {
    return tasksFailed.get();
  }

  long deferredCommits() {
    return deferredCommits.get();
  }

  /** Runs one batch: its deferred tasks in one transaction, then the immediate ones in another. */
  void run(List<PendingWrite<?>> batch) {
    // Deferred tasks first, in a transaction of their own: their callers (an MQTT delivery waiting
    // for its lock) need not wait for the fsync the immediate ones pay for. Tasks of one batch were
    // queued by callers still waiting for them, so nothing relies on their order across callers.
    List<PendingWrite<?>> ordered = new ArrayList<>(batch.size());
    for (PendingWrite<?> pending : batch) {
      if (pending.durability == Durability.DEFERRED) {
        ordered.add(pending);
      }
    }
    int deferredCount = ordered.size();
    for (PendingWrite<?> pending : batch) {
      if (pending.durability != Durability.DEFERRED) {
        ordered.add(pending);
      }
    }
    runAll(ordered, 0, deferredCount, true);
    runAll(ordered, deferredCount, ordered.size(), false);
  }

  private void runAll(List<PendingWrite<?>> tasks, int from, int to, boolean deferred) {
    int next = from;
    while (next < to) {
      next = runTransaction(tasks, next, to, deferred);
    }
  }

  /**
   * Runs tasks {@code from} (inclusive) to {@code to} (exclusive) in one transaction, committed with
   * or without its fsync ({@code deferred}); returns the index of the first task not run. Stops
   * early only if the transaction itself broke, so the rest get a fresh one.
   */
  private int runTransaction(List<PendingWrite<?>> batch, int from, int to, boolean deferred) {
    try {
      syncMode(deferred);
      exec("BEGIN IMMEDIATE");
    } catch (SQLException e) {
      StoreFailureException failure = new StoreFailureException(
          "could not start a database transaction: " + e.getMessage(), e);
      for (int i = from; i < to; i++) {
        batch.get(i).fail(failure);
        tasksFailed.incrementAndGet();
      }
      return to;
    }
    List<PendingWrite<?>> done = new ArrayList<>();
    int i = from;
    for (; i < to; i++) {
      PendingWrite<?> pending = batch.get(i);
      if (pending.future.isDone()) {
        continue;
      }
      // The first task of a transaction needs no savepoint: if it fails, the whole transaction,
      // holding only its work, is rolled back and the rest start a new one. Under light load most
      // transactions hold one task, and the savepoint was two of its statements.
      boolean first = done.isEmpty();
      boolean savepoint = !pending.singleStatement && !first;
      if (savepoint) {
        try {
          exec("SAVEPOINT gatehouse_task");
        } catch (SQLException e) {
          // The task is failed with the rest rather than retried, so a broken connection cannot loop.
          pending.fail(new StoreFailureException("could not start this write: " + e.getMessage(), e));
          tasksFailed.incrementAndGet();
          abort(done, e);
          return i + 1;
        }
      }
      try {
        pending.run(connection);
        if (savepoint) {
          exec("RELEASE SAVEPOINT gatehouse_task");
        }
        done.add(pending);
      } catch (Throwable failure) {
        if (first) {
          rollbackQuietly();
          pending.fail(failure);
          tasksFailed.incrementAndGet();
          return i + 1;
        }
        SQLException broken = savepoint ? rollbackToSavepoint()
            : new SQLException("a single-statement write failed, so its transaction is rolled back: "
                + failure.getMessage(), failure);
        pending.fail(failure);
        tasksFailed.incrementAndGet();
        if (broken != null) {
          // SQLite rolls back the whole transaction on some errors (disk full, I/O); then the
          // savepoint is gone and the earlier tasks' work with it.
          abort(done, broken);
          return i + 1;
        }
      }
    }
    if (done.isEmpty()) {
      rollbackQuietly();
      return i;
    }
    try {
      exec("COMMIT");
    } catch (SQLException e) {
      abort(done, e);
      return i;
    }
    commits.incrementAndGet();
    if (deferred) {
      deferredCommits.incrementAndGet();
    }
    tasksCommitted.addAndGet(done.size());
    done.forEach(PendingWrite::committed);
    return i;
  }

  /**
   * Switches the connection between {@code synchronous=NORMAL} and {@code FULL} outside any
   * transaction; if switching back to FULL fails, the transaction is not started (the caller fails
   * its tasks), so no immediate task ever commits without its fsync.
   */
  private void syncMode(boolean deferred) throws SQLException {
    if (deferred != syncDeferred) {
      exec(deferred ? "PRAGMA synchronous = NORMAL" : "PRAGMA synchronous = FULL");
      syncDeferred = deferred;
    }
  }

  /** Undoes the current task; returns the error if the transaction is no longer usable. */
  private SQLException rollbackToSavepoint() {
    try {
      exec("ROLLBACK TO SAVEPOINT gatehouse_task");
      exec("RELEASE SAVEPOINT gatehouse_task");
      return null;
    } catch (SQLException broken) {
      return broken;
    }
  }

  private void abort(List<PendingWrite<?>> done, SQLException cause) {
    LOG.warn("SQLite write transaction failed and was rolled back ({} writes not committed): {}", done.size(),
        cause.getMessage());
    rollbackQuietly();
    StoreFailureException failure = new StoreFailureException(
        "the database transaction carrying this write failed: " + cause.getMessage(), cause);
    for (PendingWrite<?> pending : done) {
      pending.fail(failure);
      tasksFailed.incrementAndGet();
    }
  }

  void rollbackQuietly() {
    try {
      exec("ROLLBACK");
    } catch (SQLException e) {
      // Already rolled back by SQLite itself; nothing is left open.
      LOG.debug("ROLLBACK after a failed transaction: {}", e.getMessage());
    }
  }

  /**
   * Runs one of the few transaction-control statements. Every task costs a SAVEPOINT and a RELEASE;
   * the connection's statement cache ({@link CachingConnection}) keeps them prepared.
   */
  private void exec(String sql) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.execute();
    }
  }
}
