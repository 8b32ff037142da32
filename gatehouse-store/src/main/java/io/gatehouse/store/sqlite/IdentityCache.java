package io.gatehouse.store.sqlite;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Identities (devices, service identities) as last committed, by id, so that authenticating a
 * caller costs neither a database read nor opening its sealed keys. Every call of the service API
 * and of the HTTPS device API looks its caller up, and a service sending to a device also looks up
 * the device: without this each of those lookups was three or four SQL statements and two AES-GCM
 * decryptions.
 *
 * <p>Correct only because every change of an identity goes through this store's single writer:
 * the store calls {@link #invalidate} from the writer thread once the change is committed and
 * before its caller is told ({@link WriteTransaction#afterCommit}), so a disabled, deleted or
 * re-keyed identity is never served from here after the change returned. A lookup that raced with
 * a change is not kept: {@link #find} keeps what it loaded only if no invalidation happened while
 * it was loading, since it may have read the state from before the change. (A store shared by
 * several gateway nodes, PostgreSQL, cannot rely on this and must not cache this way.)
 *
 * <p>Bounded by count: past {@code capacity} the least recently used entry goes. Absent identities
 * are not remembered, so unknown names cannot fill it. Thread-safe; the lock is held only for map
 * operations, never while loading.
 */
final class IdentityCache<V> {
  /** Counters since start, for tests and metrics. */
  record Stats(long hits, long misses, long invalidations, int size) {}

  /** Reads an identity from the database; empty if there is none. */
  @FunctionalInterface
  interface Loader<V> {
    Optional<V> load(String id);
  }

  private final int capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final LinkedHashMap<String, V> entries = new LinkedHashMap<>(64, 0.75f, true);
  // Guarded by lock. Raised by every invalidation, so a load that overlapped one is not kept.
  private long generation;
  private long hits;
  private long misses;
  private long invalidations;

  IdentityCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("an identity cache needs room for at least 1 entry, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** The cached identity, or what {@code loader} reads (kept for next time unless a change raced it). */
  Optional<V> find(String id, Loader<V> loader) {
    Objects.requireNonNull(id, "id");
    long seen;
    lock.lock();
    try {
      V cached = entries.get(id);
      if (cached != null) {
        hits++;
        return Optional.of(cached);
      }
      misses++;
      seen = generation;
    } finally {
      lock.unlock();
    }
    Optional<V> loaded = loader.load(id);
    if (loaded.isPresent()) {
      lock.lock();
      try {
        if (generation == seen) {
          entries.put(id, loaded.get());
          trim();
        }
      } finally {
        lock.unlock();
      }
    }
    return loaded;
  }

  /** Forgets {@code id}; call once its change is committed (see the class comment). */
  void invalidate(String id) {
    lock.lock();
    try {
      generation++;
      invalidations++;
      entries.remove(id);
    } finally {
      lock.unlock();
    }
  }

  Stats stats() {
    lock.lock();
    try {
      return new Stats(hits, misses, invalidations, entries.size());
    } finally {
      lock.unlock();
    }
  }

  private void trim() {
    Iterator<V> leastRecentFirst = entries.values().iterator();
    while (entries.size() > capacity && leastRecentFirst.hasNext()) {
      leastRecentFirst.next();
      leastRecentFirst.remove();
    }
  }
}
