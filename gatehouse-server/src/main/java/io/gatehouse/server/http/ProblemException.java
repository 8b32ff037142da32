package io.gatehouse.server.http;

import java.util.Map;

/**
 * An RFC 9457 problem to send back. {@code detail} tells the caller what was wrong with this
 * request and what to do; {@code extensions} add machine-readable members (e.g. the missing permission).
 */
public final class ProblemException extends RuntimeException {
  private final int status;
  private final String title;
  private final Map<String, Object> extensions;

  public ProblemException(int status, String title, String detail, Map<String, Object> extensions) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
    this.extensions = Map.copyOf(extensions);
  }

  public ProblemException(int status, String title, String detail) {
    this(status, title, detail, Map.of());
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return getMessage();
  }

  public Map<String, Object> extensions() {
    return extensions;
  }
}
