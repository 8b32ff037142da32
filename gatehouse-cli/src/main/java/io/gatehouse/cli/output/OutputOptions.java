package io.gatehouse.cli.output;

import picocli.CommandLine.Option;

/** The {@code --output} option of every client command. */
public final class OutputOptions {
  @Option(names = {"-o", "--output"}, order = 110, paramLabel = "FORMAT", defaultValue = "table",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). json prints "
          + "the server's JSON unchanged.")
  OutputFormat format = OutputFormat.table;

  public OutputFormat format() {
    return format;
  }
}
