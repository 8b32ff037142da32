package io.gatehouse.store.sqlite;

import java.sql.Connection;
import java.sql.SQLException;

/** Reads inside one snapshot: every statement sees the same committed state. */
@FunctionalInterface
interface ReadTask<T> {
  T run(Connection connection) throws SQLException;
}
