package io.gatehouse.core.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * Something security-relevant that happened: who ({@code actor}), did what ({@code action}) to
 * what ({@code target}), from where, with which outcome and why. Never carries a secret.
 */
public record AuditEvent(
    Instant time, String actor, String action, String target, Outcome outcome, String reason,
    String sourceAddress) {

  public enum Outcome {
    SUCCESS,
    DENIED,
    FAILURE
  }

  public static final int MAX_FIELD_LENGTH = 1024;

  public AuditEvent {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(outcome, "outcome");
    actor = clip(actor);
    action = clip(action);
    target = clip(target);
    reason = clip(reason);
    sourceAddress = clip(sourceAddress);
  }

  private static String clip(String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= MAX_FIELD_LENGTH ? s : s.substring(0, MAX_FIELD_LENGTH - 1) + "…";
  }
}
