package io.gatehouse.cli;

/**
 * A failure the operator can act on. The message is printed as it is, so it must say what went
 * wrong and what to do, and must never contain a key, a connection string or a token.
 */
public final class CliException extends RuntimeException {
  private final int exitCode;

  private CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** The server answered with a problem. */
  public static CliException refused(String message) {
    return new CliException(ExitCodes.REFUSED, message, null);
  }

  /** The command line or the local files are wrong. */
  public static CliException usage(String message) {
    return new CliException(ExitCodes.USAGE, message, null);
  }

  public static CliException usage(String message, Throwable cause) {
    return new CliException(ExitCodes.USAGE, message, cause);
  }

  /** The server could not be reached. */
  public static CliException unreachable(String message, Throwable cause) {
    return new CliException(ExitCodes.UNREACHABLE, message, cause);
  }

  public int exitCode() {
    return exitCode;
  }
}
