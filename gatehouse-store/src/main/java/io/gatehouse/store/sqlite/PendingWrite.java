package io.gatehouse.store.sqlite;

import io.gatehouse.store.Durability;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task queued in the {@link SqliteWriter}, with its future and the hooks it registered while
 * running. Used only on the writer thread once queued.
 */
final class PendingWrite<T> implements WriteTransaction {
  private static final Logger LOG = LoggerFactory.getLogger(PendingWrite.class);
  private final WriteTask<T> task;
  /** Runs without a savepoint of its own: see {@link SqliteWriter#trySubmitStatement}. */
  final boolean singleStatement;
  /** Whether the commit carrying it may skip the fsync: see {@link SqliteWriter#submit(WriteTask, Durability)}. */
  final Durability durability;
  final CompletableFuture<T> future = new CompletableFuture<>();
  private final List<Runnable> onCommit = new ArrayList<>(0);
  private final List<Runnable> onRollback = new ArrayList<>(0);
  private Connection connection;
  private T result;

  PendingWrite(WriteTask<T> task, boolean singleStatement) {
    this(task, singleStatement, Durability.IMMEDIATE);
  }

  PendingWrite(WriteTask<T> task, boolean singleStatement, Durability durability) {
    this.task = task;
    this.singleStatement = singleStatement;
    this.durability = durability;
  }

  void run(Connection current) throws SQLException {
    connection = current;
    try {
      result = task.run(this);
    } finally {
      connection = null;
    }
  }

  /** The transaction carrying this task committed: run its commit hooks, then tell the caller. */
  void committed() {
    onCommit.forEach(PendingWrite::runHook);
    future.complete(result);
  }

  /** This task's changes are not committed: run its rollback hooks, then tell the caller. */
  void fail(Throwable failure) {
    if (future.isDone()) {
      return;
    }
    onRollback.forEach(PendingWrite::runHook);
    onRollback.clear();
    onCommit.clear();
    future.completeExceptionally(failure);
  }

  @Override
  public Connection connection() {
    if (connection == null) {
      throw new IllegalStateException("the write connection is only usable while the task runs");
    }
    return connection;
  }

  @Override
  public void afterCommit(Runnable action) {
    onCommit.add(Objects.requireNonNull(action));
  }

  @Override
  public void afterRollback(Runnable action) {
    onRollback.add(Objects.requireNonNull(action));
  }

  private static void runHook(Runnable hook) {
    try {
      hook.run();
    } catch (RuntimeException e) {
      LOG.error("a write hook failed", e);
    }
  }
}
