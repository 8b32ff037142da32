package io.gatehouse.server.audit;

import io.gatehouse.core.audit.AuditEvent;
import io.gatehouse.core.audit.AuditEvent.Outcome;
import io.gatehouse.store.AuditStore;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit events. Appends are durable before this returns: a change is reported to its caller
 * only after its audit line is committed. Every event is also logged as one structured line.
 *
 * <p>The line of a change to the registry or an inbox is not appended here but by the store, in
 * the change's own transaction ({@link #event}, then {@link #committed} once the store returned):
 * no committed change without its line, and one commit (one fsync) for both.
 */
public final class AuditLog {
  private static final Logger LOG = LoggerFactory.getLogger("gatehouse.audit");
  /** Background appends in flight at most; past this a flood's audit lines are counted, not queued. */
  static final int MAX_BACKGROUND = 1024;

  private final AuditStore store;
  private final Clock clock;
  private final java.util.concurrent.Semaphore background = new java.util.concurrent.Semaphore(MAX_BACKGROUND);
  private final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();

  public AuditLog(AuditStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * For callers that must not block (network event loops): the append runs on a virtual thread.
   * Bounded, so a flood of refused connections cannot pile up threads; what is dropped is counted
   * and logged.
   */
  public void failureInBackground(String actor, String action, String target, String reason, String source) {
    inBackground(actor, action, target, Outcome.FAILURE, reason, source);
  }

  /** Like {@link #failureInBackground} for any outcome (e.g. a device's disconnect, with its cause). */
  public void inBackground(String actor, String action, String target, Outcome outcome, String reason,
      String source) {
    if (!background.tryAcquire()) {
      long total = dropped.incrementAndGet();
      LOG.warn("audit backlog full, line dropped action={} source={} reason=\"{}\" droppedTotal={}", action, source,
          reason, total);
      return;
    }
    Thread.ofVirtual().name("audit-append").start(() -> {
      try {
        record(actor, action, target, outcome, reason, source);
      } catch (RuntimeException e) {
        LOG.error("audit append failed action={} source={}", action, source, e);
      } finally {
        background.release();
      }
    });
  }

  public long droppedInBackground() {
    return dropped.get();
  }

  public void success(String actor, String action, String target, String source) {
    record(actor, action, target, Outcome.SUCCESS, "", source);
  }

  public void denied(String actor, String action, String target, String reason, String source) {
    record(actor, action, target, Outcome.DENIED, reason, source);
  }

  public void failure(String actor, String action, String target, String reason, String source) {
    record(actor, action, target, Outcome.FAILURE, reason, source);
  }

  public void record(String actor, String action, String target, Outcome outcome, String reason, String source) {
    AuditEvent event = event(actor, action, target, outcome, reason, source);
    store.append(event);
    committed(event);
  }

  /** An event stamped now, not yet written: for a store to append with a change ({@code AuditLine.of}). */
  public AuditEvent event(String actor, String action, String target, Outcome outcome, String reason, String source) {
    return new AuditEvent(clock.instant(), actor, action, target, outcome, reason, source);
  }

  /** Logs the structured line of an event once it is committed (by {@link #record} or with a change). */
  public void committed(AuditEvent event) {
    LOG.info("audit action={} outcome={} actor={} target={} source={} reason=\"{}\"", event.action(),
        event.outcome().name().toLowerCase(java.util.Locale.ROOT), event.actor(), event.target(),
        event.sourceAddress(), event.reason());
  }
}
