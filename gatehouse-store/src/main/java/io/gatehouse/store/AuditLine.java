package io.gatehouse.store;

import io.gatehouse.core.audit.AuditEvent;

/**
 * The audit line of a change, which the store appends to the audit log in the change's own
 * transaction, after the change: a committed change always has its line (a crash cannot keep one
 * without the other), and the two share one commit, so one fsync instead of two.
 *
 * @param <T> what the change produced (the stored device, the queued message), for lines that name
 *     what only the store assigns, such as a message's sequence number
 */
@FunctionalInterface
public interface AuditLine<T> {
  /** The event to append for the committed change; {@code null} appends nothing. */
  AuditEvent describe(T result);

  /** A line that does not depend on the result. */
  static <T> AuditLine<T> of(AuditEvent event) {
    return result -> event;
  }

  /** No line: for writes that are not an audited action (bootstrap, tests). */
  static <T> AuditLine<T> none() {
    return result -> null;
  }
}
