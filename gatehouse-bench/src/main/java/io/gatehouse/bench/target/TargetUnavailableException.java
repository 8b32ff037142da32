package io.gatehouse.bench.target;

/** The target cannot run this scenario here; the reason is printed instead of figures. */
public final class TargetUnavailableException extends Exception {
  public TargetUnavailableException(String reason) {
    super(reason);
  }

  public TargetUnavailableException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
