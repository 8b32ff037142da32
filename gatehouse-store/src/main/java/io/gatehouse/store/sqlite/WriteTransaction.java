package io.gatehouse.store.sqlite;

import java.sql.Connection;

/** What a {@link WriteTask} sees of the transaction it runs in. */
public interface WriteTransaction {
  /** The writer's connection, valid only while the task runs. */
  Connection connection();

  /**
   * Runs on the writer thread once this task's changes are committed, before its caller is told.
   * For caches that must only reflect committed state.
   */
  void afterCommit(Runnable action);

  /**
   * Runs on the writer thread if this task's changes end up not committed: its own failure, or
   * the failure of the shared transaction after it succeeded.
   */
  void afterRollback(Runnable action);
}
