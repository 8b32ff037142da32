package io.gatehouse.store.sqlite;

import io.gatehouse.core.error.LimitExceededException;
import io.gatehouse.store.Durability;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of one SQLite database, with group commit.
 *
 * <p>SQLite allows one writer at a time and each durable commit costs an fsync, so writes from
 * all threads go through one bounded queue to one platform thread that owns the only write
 * connection. It takes whatever is queued (up to {@link WriterSettings#maxBatchSize()}), runs each task
 * in its own savepoint of one transaction, commits once, and only then completes the tasks'
 * futures: many writers share one fsync, and nobody is told "done" before their data is durable.
 * A failing task rolls back to its savepoint, so its neighbours in the batch still commit. (The
 * first task of a transaction runs without one: its failure rolls back a transaction that holds
 * nothing else, and the tasks after it start a new one.)
 *
 * <p>{@link Durability#DEFERRED} tasks of a batch run first, in a transaction of their own committed
 * with {@code synchronous=NORMAL}: written to the log without an fsync of its own, on disk with the
 * next {@code FULL} commit (which syncs the same log) or checkpoint. Their callers need not wait for
 * the fsync of the immediate tasks queued beside them.
 *
 * <p>Knows nothing about what it writes, so the registry, audit log and telemetry can share it.
 */
public final class SqliteWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteWriter.class);

  /**
   * Counters since start; {@code commits} is far below {@code tasksCommitted} under load;
   * {@code deferredCommits} of the commits skipped the fsync (see the class comment).
   */
  public record Stats(long commits, long tasksCommitted, long tasksFailed, long largestBatch, int queued,
      long deferredCommits) {}

  private final Connection connection;
  private final WriterSettings settings;
  private final BlockingQueue<PendingWrite<?>> queue;
  private final PendingWrite<Void> stop = new PendingWrite<>(tx -> null, false);
  // Submitters hold the read side while offering; close() takes the write side to flip `closed`,
  // so no task can be queued behind the stop marker and be left waiting forever.
  private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
  private boolean closed;
  private final Thread thread;
  private final BatchTransactions transactions;
  private final AtomicLong largestBatch = new AtomicLong();

  private SqliteWriter(Connection connection, WriterSettings settings) {
    this.connection = connection;
    this.settings = settings;
    this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    this.transactions = new BatchTransactions(connection);
    // A platform thread: it spends its life in native SQLite calls, which would pin a virtual one.
    // Daemon, so a store nobody closed cannot keep the JVM alive; that loses nothing acknowledged,
    // since callers hear back only after the commit.
    this.thread = Thread.ofPlatform().name(settings.threadName()).daemon(true).unstarted(this::loop);
  }

  /**
   * Takes ownership of {@code connection} (in auto-commit mode; the writer issues its own BEGIN and
   * COMMIT) and starts the writer thread. The connection is closed by {@link #close()}.
   */
  public static SqliteWriter start(Connection connection, WriterSettings settings) {
    SqliteWriter writer = new SqliteWriter(Objects.requireNonNull(connection, "connection"), settings);
    writer.thread.start();
    return writer;
  }

  /**
   * Queues a task; the future completes after its transaction commits (or with the task's failure).
   *
   * @throws LimitExceededException if the queue stays full for the submit timeout
   * @throws IllegalStateException if the writer is closed
   */
  public <T> CompletableFuture<T> submit(WriteTask<T> task) {
    return submit(task, Durability.IMMEDIATE);
  }

  /**
   * Like {@link #submit(WriteTask)}; a {@link Durability#DEFERRED} task's future completes once its
   * transaction is committed, possibly before the commit is fsync'd (see the class comment).
   */
  public <T> CompletableFuture<T> submit(WriteTask<T> task, Durability durability) {
    PendingWrite<T> pending = new PendingWrite<>(Objects.requireNonNull(task, "task"), false,
        Objects.requireNonNull(durability, "durability"));
    return enqueue(pending, settings.submitTimeout().toNanos());
  }

  /**
   * Queues a task without ever waiting for room, for callers on event loops (telemetry). A full
   * queue or a closed writer does not throw: the returned future has already failed, with
   * {@link LimitExceededException} or {@link IllegalStateException}.
   */
  public <T> CompletableFuture<T> trySubmit(WriteTask<T> task) {
    return trySubmit(task, Durability.IMMEDIATE);
  }

  /**
   * {@link #trySubmit(WriteTask)} with the given durability. Tasks of one durability that one thread
   * queues run in the order it queued them (one queue, one writer); within a batch, deferred tasks
   * run before immediate ones (see the class comment).
   */
  public <T> CompletableFuture<T> trySubmit(WriteTask<T> task, Durability durability) {
    return tryEnqueue(new PendingWrite<>(Objects.requireNonNull(task, "task"), false,
        Objects.requireNonNull(durability, "durability")));
  }

  /**
   * Like {@link #trySubmit}, for a task that changes the database with <em>one</em> SQL statement,
   * the hot path (a telemetry append). SQLite undoes a failed statement by itself, so such a task
   * runs without the savepoint every other task gets, which would cost two more statements than the
   * task's own. The price: if the task fails, the whole transaction it shared is rolled back and its
   * neighbours are failed with it (told, never lost), since without a savepoint the writer cannot
   * tell a failed statement from a failed transaction.
   */
  public <T> CompletableFuture<T> trySubmitStatement(WriteTask<T> task) {
    return tryEnqueue(new PendingWrite<>(Objects.requireNonNull(task, "task"), true));
  }

  private <T> CompletableFuture<T> tryEnqueue(PendingWrite<T> pending) {
    try {
      return enqueue(pending, 0);
    } catch (LimitExceededException | IllegalStateException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private <T> CompletableFuture<T> enqueue(PendingWrite<T> pending, long timeoutNanos) {
    gate.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("the SQLite store is closed; no more writes are accepted");
      }
      boolean queued = timeoutNanos == 0
          ? queue.offer(pending)
          : queue.offer(pending, timeoutNanos, TimeUnit.NANOSECONDS);
      if (!queued) {
        throw new LimitExceededException("the database write queue is full (" + settings.queueCapacity()
            + " writes waiting); the gateway is overloaded, retry later");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreFailureException("interrupted while waiting for room in the database write queue", e);
    } finally {
      gate.readLock().unlock();
    }
    return pending.future;
  }

  /**
   * Submits and waits for the commit. The task's own exceptions come back unchanged; a
   * {@link SQLException} comes back as a {@link StoreFailureException}.
   */
  public <T> T execute(WriteTask<T> task) {
    return execute(task, Durability.IMMEDIATE);
  }

  /** {@link #execute(WriteTask)} with the given durability (see {@link #submit(WriteTask, Durability)}). */
  public <T> T execute(WriteTask<T> task, Durability durability) {
    if (Thread.currentThread() == thread) {
      throw new IllegalStateException("a write task cannot wait for another write: the writer would wait for itself");
    }
    CompletableFuture<T> future = submit(task, durability);
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw unchecked(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreFailureException("interrupted while waiting for a database write; it may still be committed", e);
    }
  }

  /** Returns once everything submitted before this call is committed or failed. */
  public void barrier() {
    execute(tx -> null);
  }

  /** Turns a task failure into what {@link #execute} throws. */
  public static RuntimeException unchecked(Throwable failure) {
    if (failure instanceof RuntimeException runtime) {
      return runtime;
    }
    if (failure instanceof Error error) {
      throw error;
    }
    return new StoreFailureException("database write failed: " + failure.getMessage(), failure);
  }

  public Stats stats() {
    return new Stats(transactions.commits(), transactions.tasksCommitted(), transactions.tasksFailed(),
        largestBatch.get(), queue.size(), transactions.deferredCommits());
  }

  /**
   * Stops accepting tasks, commits everything already queued, stops the thread and closes the
   * connection. Idempotent; waits for the queue to drain.
   */
  @Override
  public void close() {
    if (Thread.currentThread() == thread) {
      throw new IllegalStateException("the writer cannot be closed from one of its own tasks");
    }
    boolean first;
    gate.writeLock().lock();
    try {
      first = !closed;
      closed = true;
    } finally {
      gate.writeLock().unlock();
    }
    boolean interrupted = false;
    if (first) {
      while (true) {
        try {
          queue.put(stop);
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void loop() {
    List<PendingWrite<?>> batch = new ArrayList<>(settings.maxBatchSize());
    try {
      boolean stopping = false;
      while (!stopping) {
        batch.add(queue.take());
        queue.drainTo(batch, settings.maxBatchSize() - 1);
        // Nothing is queued after the stop marker (see `gate`), so it can only be last.
        stopping = batch.getLast() == stop;
        if (stopping) {
          batch.removeLast();
        }
        if (!batch.isEmpty()) {
          largestBatch.accumulateAndGet(batch.size(), Math::max);
          try {
            transactions.run(batch);
          } catch (RuntimeException bug) {
            // Keep serving later writes; whoever was in this batch and not yet told is failed.
            LOG.error("SQLite writer failed a batch unexpectedly", bug);
            transactions.rollbackQuietly();
            batch.forEach(p -> p.fail(bug));
          }
        }
        batch.clear();
      }
    } catch (InterruptedException e) {
      LOG.error("SQLite writer thread interrupted; pending writes are failed");
    } catch (RuntimeException | Error e) {
      LOG.error("SQLite writer thread failed; pending writes are failed", e);
    } finally {
      StoreFailureException gone = new StoreFailureException("the SQLite writer stopped before this write ran");
      batch.forEach(p -> p.fail(gone));
      List<PendingWrite<?>> left = new ArrayList<>();
      queue.drainTo(left);
      left.forEach(p -> p.fail(gone));
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.warn("closing the SQLite write connection failed: {}", e.getMessage());
      }
    }
  }
}
