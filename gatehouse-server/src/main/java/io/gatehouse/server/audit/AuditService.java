package io.gatehouse.server.audit;

import io.gatehouse.core.audit.AuditChain;
import io.gatehouse.core.audit.AuditEntry;
import io.gatehouse.core.audit.AuditVerification;
import io.gatehouse.store.AuditStore;
import java.util.List;
import java.util.Optional;

/** Reads the audit log and verifies its chain end to end. */
public final class AuditService {
  private static final int VERIFY_BATCH = 1000;
  private final AuditStore store;
  private final AuditChain chain;

  public AuditService(AuditStore store, AuditChain chain) {
    this.store = store;
    this.chain = chain;
  }

  public List<AuditEntry> read(long from, int limit) {
    return store.read(from, limit);
  }

  /**
   * Walks the whole log in order. Besides a broken link or an altered entry, a log whose last entry
   * is not the head the store reports (entries cut off the end) is reported as broken too.
   */
  public AuditVerification verify() {
    Optional<AuditEntry> head = store.head();
    AuditChain.Verifier verifier = chain.verifier();
    long next = 1;
    while (true) {
      List<AuditEntry> batch = store.read(next, VERIFY_BATCH);
      batch.forEach(verifier::accept);
      if (batch.size() < VERIFY_BATCH) {
        break;
      }
      next = batch.get(batch.size() - 1).sequence() + 1;
    }
    AuditVerification result = verifier.result();
    if (result.intact() && head.isPresent() && result.entriesChecked() != head.get().sequence()) {
      return AuditVerification.broken(result.entriesChecked(), result.entriesChecked() + 1,
          "the log ends at entry " + result.entriesChecked() + " but its head is entry " + head.get().sequence());
    }
    return result;
  }
}
