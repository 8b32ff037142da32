package io.gatehouse.cli;

/** The exit codes of every {@code gatehouse} command; scripts rely on them, so they never change. */
public final class ExitCodes {
  /** The command did what was asked. */
  public static final int OK = 0;
  /** The server refused the request (a 4xx or 5xx problem), or {@code audit verify} found a broken chain. */
  public static final int REFUSED = 1;
  /** The command line or the local configuration is wrong (picocli's usage error code). */
  public static final int USAGE = 2;
  /** The server cannot be reached: connection refused, unknown host, untrusted TLS certificate, timeout. */
  public static final int UNREACHABLE = 3;

  private ExitCodes() {}
}
