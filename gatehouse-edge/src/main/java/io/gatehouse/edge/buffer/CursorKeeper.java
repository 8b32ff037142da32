package io.gatehouse.edge.buffer;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persists the acknowledged position on a thread of its own, so the uplink never waits for the
 * disk between one window of publishes and the next. Writing the cursor costs two forces (file and
 * directory); done inline after every answered prefix it capped forwarding at one round of the
 * window per cursor write. Requests coalesce: while one write is under way, later positions wait,
 * and only the highest is written next.
 *
 * <p>What a crash costs is unchanged in kind: messages acknowledged upstream but not yet in the
 * cursor are sent again after a restart (at least once), as before when a crash fell between the
 * PUBACK and the cursor write. The window is only a little wider: the time of one cursor write.
 */
final class CursorKeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CursorKeeper.class);
  private static final long RETRY_MILLIS = 1_000;

  private final CursorFile file;
  private final Thread thread;
  private long requested; // guarded by this
  private long persisted; // guarded by this
  private boolean closed; // guarded by this
  private boolean failing; // only the keeper thread touches it

  CursorKeeper(CursorFile file, long persisted, String threadName) {
    this.file = file;
    this.requested = persisted;
    this.persisted = persisted;
    this.thread = Thread.ofPlatform().name(threadName).daemon(true).unstarted(this::loop);
  }

  void start() {
    thread.start();
  }

  /** Asks for {@code position} to be stored; returns at once. Lower positions than asked before are ignored. */
  synchronized void request(long position) {
    if (position > requested) {
      requested = position;
      notifyAll();
    }
  }

  /** The highest position known to be on disk. */
  synchronized long persisted() {
    return persisted;
  }

  private void loop() {
    while (true) {
      long next;
      synchronized (this) {
        while (!closed && requested <= persisted) {
          try {
            wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        next = requested;
      }
      if (!write(next)) {
        pauseAfterFailure();
      }
    }
  }

  private boolean write(long position) {
    try {
      file.write(position);
      synchronized (this) {
        persisted = Math.max(persisted, position);
      }
      if (failing) {
        failing = false;
        LOG.info("forward buffer cursor written again position={}", position);
      }
      return true;
    } catch (IOException e) {
      if (!failing) {
        failing = true; // one line per outage, not one per attempt
        LOG.warn("forward buffer cannot persist its acknowledged position={} error=\"{}\"; retrying, and a restart "
            + "before it succeeds sends those messages again", position, e.getMessage());
      }
      return false;
    }
  }

  private synchronized void pauseAfterFailure() {
    try {
      wait(RETRY_MILLIS); // close() wakes it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the thread, then writes the last requested position in the caller's thread. */
  @Override
  public void close() throws IOException {
    long last;
    synchronized (this) {
      closed = true;
      notifyAll();
      last = requested;
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    file.write(last);
    synchronized (this) {
      persisted = Math.max(persisted, last);
    }
  }
}
