package io.gatehouse.edge.buffer;

import io.gatehouse.core.error.LimitExceededException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: appends from any thread go into one bounded queue; one platform thread takes
 * whatever is queued and hands it to the {@link BatchCommitter} as one batch, so one fsync covers
 * them all. Callers are never blocked: a full queue fails the append at once.
 */
final class AppendWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AppendWriter.class);

  /** Writes a batch durably; must complete or fail every future in it before returning. */
  interface BatchCommitter {
    void commit(List<PendingAppend> batch);
  }

  private final BatchCommitter committer;
  private final int queueCapacity;
  private final int maxBatch;
  private final BlockingQueue<PendingAppend> queue;
  private final PendingAppend stop = new PendingAppend(new EncodedMessage(new byte[0], 0));
  // Submitters hold the read side while offering; close() takes the write side to flip `closed`,
  // so nothing can be queued behind the stop marker and be left waiting forever.
  private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
  private boolean closed;
  private final Thread thread;

  AppendWriter(BatchCommitter committer, int queueCapacity, int maxBatch, String threadName) {
    if (queueCapacity < 1 || maxBatch < 1) {
      throw new IllegalArgumentException("queueCapacity and maxBatch must be positive, were " + queueCapacity
          + " and " + maxBatch);
    }
    this.committer = Objects.requireNonNull(committer, "committer");
    this.queueCapacity = queueCapacity;
    this.maxBatch = maxBatch;
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    // A platform thread: it spends its life in fsync, which would pin a virtual one. Daemon, so a
    // buffer nobody closed cannot keep the JVM alive; no caller was told "stored" for what is lost.
    this.thread = Thread.ofPlatform().name(Objects.requireNonNull(threadName, "threadName")).daemon(true)
        .unstarted(this::loop);
  }

  void start() {
    thread.start();
  }

  /** Queues a message; the future completes with its sequence once durable, or fails at once if full. */
  CompletableFuture<Long> submit(EncodedMessage message) {
    PendingAppend pending = new PendingAppend(Objects.requireNonNull(message, "message"));
    gate.readLock().lock();
    try {
      if (closed) {
        return CompletableFuture.failedFuture(
            new IllegalStateException("the forward buffer is closed; no more messages are accepted"));
      }
      if (!queue.offer(pending)) {
        return CompletableFuture.failedFuture(new LimitExceededException("the forward buffer's write queue is full ("
            + queueCapacity + " messages waiting for the disk); the disk cannot keep up, retry later or slow down"));
      }
    } finally {
      gate.readLock().unlock();
    }
    return pending.future();
  }

  int queued() {
    return queue.size();
  }

  /** Stops accepting, writes everything already queued, then stops the thread. Idempotent. */
  @Override
  public void close() {
    if (Thread.currentThread() == thread) {
      throw new IllegalStateException("the forward buffer cannot be closed from its own writer thread");
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
    if (first && thread.isAlive()) {
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
    failAll(drain(), new IllegalStateException("the forward buffer closed before this message was written"));
  }

  private void loop() {
    List<PendingAppend> batch = new ArrayList<>(maxBatch);
    try {
      boolean stopping = false;
      while (!stopping) {
        batch.add(queue.take());
        queue.drainTo(batch, maxBatch - 1);
        // Nothing is queued after the stop marker (see `gate`), so it can only be last.
        stopping = batch.getLast() == stop;
        if (stopping) {
          batch.removeLast();
        }
        if (!batch.isEmpty()) {
          commit(batch);
        }
        batch.clear();
      }
    } catch (InterruptedException e) {
      LOG.error("forward buffer writer interrupted; waiting appends are failed");
    } catch (RuntimeException | Error e) {
      LOG.error("forward buffer writer failed; waiting appends are failed", e);
    } finally {
      BufferFailureException gone = new BufferFailureException("the forward buffer writer stopped before this message was written");
      failAll(batch, gone);
      failAll(drain(), gone);
    }
  }

  private void commit(List<PendingAppend> batch) {
    try {
      committer.commit(batch);
    } catch (RuntimeException bug) {
      // Keep serving later appends; whoever in this batch was not yet told is failed.
      LOG.error("forward buffer writer failed a batch unexpectedly size={}", batch.size(), bug);
      failAll(batch, bug);
    }
  }

  private List<PendingAppend> drain() {
    List<PendingAppend> left = new ArrayList<>();
    queue.drainTo(left);
    left.removeIf(pending -> pending == stop);
    return left;
  }

  private static void failAll(List<PendingAppend> pending, Throwable failure) {
    pending.forEach(p -> p.future().completeExceptionally(failure));
  }
}
