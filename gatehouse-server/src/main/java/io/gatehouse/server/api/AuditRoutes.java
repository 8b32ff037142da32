package io.gatehouse.server.api;

import io.gatehouse.core.audit.AuditEntry;
import io.gatehouse.core.audit.AuditVerification;
import io.gatehouse.core.authz.Permission;
import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.server.audit.AuditService;
import io.gatehouse.server.auth.Caller;
import io.gatehouse.server.auth.Guard;
import io.gatehouse.server.http.ApiRequest;
import io.gatehouse.server.http.ApiResponse;
import io.gatehouse.server.http.Router;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** {@code /audit}: read and verify the hash-chained audit log (needs {@code audit.read}). */
public final class AuditRoutes {
  public static final int MAX_LIMIT = 1000;

  record EntryView(long sequence, Instant time, String actor, String action, String target, String outcome,
      String reason, String sourceAddress, String previousHash, String hash) {
    static EntryView of(AuditEntry e) {
      var ev = e.event();
      return new EntryView(e.sequence(), ev.time(), ev.actor(), ev.action(), ev.target(),
          ev.outcome().name().toLowerCase(Locale.ROOT), ev.reason(), ev.sourceAddress(), e.previousHash(), e.hash());
    }
  }

  record EntryPage(List<EntryView> items, Long next) {}

  record VerificationView(boolean intact, long entriesChecked, Long headSequence, String headHash,
      Long firstBadSequence, String problem) {
    static VerificationView of(AuditVerification v) {
      return v.intact()
          ? new VerificationView(true, v.entriesChecked(), v.entriesChecked(), v.headHash(), null, null)
          : new VerificationView(false, v.entriesChecked(), null, null, v.firstBadSequence(), v.problem());
    }
  }

  private final AuditService audit;
  private final Guard guard;
  private final ApiSupport api;

  public AuditRoutes(AuditService audit, Guard guard, ApiSupport api) {
    this.audit = audit;
    this.guard = guard;
    this.api = api;
  }

  public void register(Router router) {
    router.add("GET", "/audit", api.secured(this::list))
        .add("GET", "/audit/verify", api.secured(this::verify));
  }

  private ApiResponse list(ApiRequest request, Caller caller) {
    guard.require(caller, Permission.AUDIT_READ, "audit.read", "audit");
    long from = request.queryParameter("from").map(AuditRoutes::parseSequence).orElse(1L);
    int limit = request.intQueryParameter("limit", 100);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidInputException("limit must be 1 to " + MAX_LIMIT);
    }
    List<AuditEntry> entries = audit.read(from, limit);
    Long next = entries.size() == limit ? entries.get(entries.size() - 1).sequence() + 1 : null;
    return api.ok(new EntryPage(entries.stream().map(EntryView::of).toList(), next));
  }

  private ApiResponse verify(ApiRequest request, Caller caller) {
    guard.require(caller, Permission.AUDIT_READ, "audit.verify", "audit");
    return api.ok(VerificationView.of(audit.verify()));
  }

  private static long parseSequence(String value) {
    try {
      long from = Long.parseLong(value);
      if (from < 1) {
        throw new InvalidInputException("from must be 1 or more");
      }
      return from;
    } catch (NumberFormatException e) {
      throw new InvalidInputException("from must be a sequence number");
    }
  }
}
