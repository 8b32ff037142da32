package io.gatehouse.store.sqlite;

import java.sql.SQLException;

/**
 * One unit of work for the {@link SqliteWriter}. It runs on the writer thread inside its own
 * savepoint of a shared transaction (the first task of a transaction and a single-statement task,
 * see {@link SqliteWriter#trySubmitStatement}, run without one); it must not commit, roll back or
 * keep the connection. Throwing rolls back this task alone and hands the exception to its caller.
 */
@FunctionalInterface
public interface WriteTask<T> {
  T run(WriteTransaction transaction) throws SQLException;
}
