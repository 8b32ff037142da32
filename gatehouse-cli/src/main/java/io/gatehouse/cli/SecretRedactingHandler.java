package io.gatehouse.cli;

import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/**
 * Picocli echoes arguments it cannot match ("Unmatched argument at index 2: '…'"), which would
 * print a connection string or token passed in the wrong place. This handler masks them and then
 * reports the error as picocli would.
 */
public final class SecretRedactingHandler implements IParameterExceptionHandler {
  private static final Pattern SECRET =
      Pattern.compile("(?i)(SharedAccessKey|SharedAccessSignature|sig)=[^;&'\"\\s]*");

  private final IParameterExceptionHandler delegate;

  public SecretRedactingHandler(IParameterExceptionHandler delegate) {
    this.delegate = delegate;
  }

  public static String redact(String text) {
    return text == null ? null : SECRET.matcher(text).replaceAll("$1=<redacted>");
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) throws Exception {
    String message = ex.getMessage();
    String redacted = redact(message);
    if (message == null || message.equals(redacted)) {
      return delegate.handleParseException(ex, args);
    }
    CommandLine command = ex.getCommandLine();
    command.getErr().println(redacted);
    command.usage(command.getErr());
    return command.getCommandSpec().exitCodeOnInvalidInput();
  }
}
