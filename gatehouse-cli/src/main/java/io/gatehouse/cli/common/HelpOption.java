package io.gatehouse.cli.common;

import picocli.CommandLine.Option;

/** {@code -h/--help} for every subcommand ({@code --version} lives on {@code gatehouse} only). */
public final class HelpOption {
  @Option(names = {"-h", "--help"}, usageHelp = true, order = 200, description = "Show this help and exit.")
  boolean help;
}
