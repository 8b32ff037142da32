package io.gatehouse.core.audit;

/**
 * The outcome of checking the audit chain. When broken, {@code firstBadSequence} is the first entry
 * that cannot be trusted and {@code problem} says what is wrong with it.
 */
public record AuditVerification(boolean intact, long entriesChecked, String headHash, long firstBadSequence,
    String problem) {

  public static AuditVerification intact(long checked, String headHash) {
    return new AuditVerification(true, checked, headHash, 0, null);
  }

  public static AuditVerification broken(long checked, long firstBad, String problem) {
    return new AuditVerification(false, checked, null, firstBad, problem);
  }
}
