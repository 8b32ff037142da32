package io.gatehouse.store;

import io.gatehouse.core.audit.AuditEntry;
import io.gatehouse.core.audit.AuditEvent;
import java.util.List;
import java.util.Optional;

/**
 * The append-only audit log. {@link #append} assigns the next sequence number and seals the entry
 * into the hash chain in the same transaction, so the order of the chain is the order of commits.
 * There is no update or delete.
 */
public interface AuditStore {
  /** Appends durably; returns once committed. */
  AuditEntry append(AuditEvent event);

  /** Entries with sequence ≥ {@code fromSequence}, in order, at most {@code limit}. */
  List<AuditEntry> read(long fromSequence, int limit);

  Optional<AuditEntry> head();
}
