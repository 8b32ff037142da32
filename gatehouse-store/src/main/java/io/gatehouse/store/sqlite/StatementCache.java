package io.gatehouse.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prepared statements of one connection, kept for reuse and keyed by their SQL text. Preparing
 * is most of the cost of a small statement (SQLite compiles the SQL, the driver reads the column
 * names), and every store method runs the same few statements again and again.
 *
 * <p>A statement is <em>leased</em> from {@link #lease} until its user closes it; closing resets
 * it (result set closed, SQLite statement reset so it holds no read snapshot, parameters and batch
 * cleared) and hands it back. A statement whose execution failed is finalized rather than kept,
 * and so is one that does not reset cleanly: the next lease prepares it afresh. The cache holds at
 * most {@code capacity} statements and evicts the least recently used idle one; statements still
 * leased are never evicted. When the statement for some SQL is already leased (the same SQL used
 * again while the first use is open), or every cached statement is leased, {@link #lease} returns
 * {@code null} and the connection prepares an ordinary statement that closing really closes.
 *
 * <p>Not thread-safe: a connection is used by one thread at a time (the writer thread, or the
 * reader that borrowed it from the pool), and so is its cache.
 */
final class StatementCache {
  private static final Logger LOG = LoggerFactory.getLogger(StatementCache.class);

  /** Counters since the connection opened; {@code uncached} counts statements prepared outside the cache. */
  record Stats(long hits, long prepared, long evicted, long discarded, long uncached, int size) {}

  /** Prepares a statement of the cache's connection that hands itself back to {@code cache} when closed. */
  @FunctionalInterface
  interface Preparer {
    CachedStatement prepare(String sql, StatementCache cache) throws SQLException;
  }

  private final int capacity;
  private final Preparer preparer;
  // Access order: iteration starts at the least recently leased statement, the first to evict.
  private final LinkedHashMap<String, CachedStatement> statements = new LinkedHashMap<>(16, 0.75f, true);
  private boolean closed;
  private long hits;
  private long prepared;
  private long evicted;
  private long discarded;
  private long uncached;

  StatementCache(int capacity, Preparer preparer) {
    if (capacity < 1) {
      throw new IllegalArgumentException("a statement cache needs room for at least 1 statement, got " + capacity);
    }
    this.capacity = capacity;
    this.preparer = preparer;
  }

  /**
   * The cached statement for {@code sql}, prepared on first use, now leased to the caller; or
   * {@code null} if the caller must prepare an uncached one (see the class comment).
   */
  PreparedStatement lease(String sql) throws SQLException {
    if (closed) {
      throw new SQLException("the connection is closed");
    }
    CachedStatement statement = statements.get(sql);
    if (statement != null) {
      if (statement.leased) {
        uncached++;
        return null;
      }
      hits++;
      statement.leased = true;
      return statement;
    }
    if (statements.size() >= capacity && !evictOne()) {
      uncached++;
      return null;
    }
    statement = preparer.prepare(sql, this);
    prepared++;
    statement.leased = true;
    statements.put(sql, statement);
    return statement;
  }

  /** Called by {@link CachedStatement#close()}: resets the statement and keeps it, or finalizes it. */
  void release(CachedStatement statement) {
    if (!statement.leased) {
      return; // closed twice: the first close handed it back already
    }
    statement.leased = false;
    boolean reusable = statement.reset();
    if (reusable && !closed && statements.get(statement.key()) == statement) {
      return;
    }
    if (statements.get(statement.key()) == statement) {
      statements.remove(statement.key());
    }
    if (!reusable) {
      discarded++;
    }
    statement.discard();
  }

  /** Finalizes every cached statement; later leases fail. Called before the connection closes. */
  void close() {
    closed = true;
    List<CachedStatement> all = new ArrayList<>(statements.values());
    statements.clear();
    for (CachedStatement statement : all) {
      if (statement.leased) {
        LOG.debug("closing a connection while a statement is still in use: {}", statement.key());
      }
      statement.discard();
    }
  }

  Stats stats() {
    return new Stats(hits, prepared, evicted, discarded, uncached, statements.size());
  }

  private boolean evictOne() {
    Iterator<CachedStatement> oldestFirst = statements.values().iterator();
    while (oldestFirst.hasNext()) {
      CachedStatement candidate = oldestFirst.next();
      if (!candidate.leased) {
        oldestFirst.remove();
        evicted++;
        candidate.discard();
        return true;
      }
    }
    return false;
  }
}
