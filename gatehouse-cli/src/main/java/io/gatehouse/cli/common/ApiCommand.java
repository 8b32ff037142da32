package io.gatehouse.cli.common;

import io.gatehouse.cli.CliContext;
import io.gatehouse.cli.CliException;
import io.gatehouse.cli.VersionProvider;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.client.Connection;
import io.gatehouse.cli.client.ConnectionOptions;
import io.gatehouse.cli.output.OutputOptions;
import io.gatehouse.cli.output.Printer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that calls the gateway: it takes the connection and output options, connects, runs,
 * and turns a {@link CliException} into its message on stderr and its exit code.
 */
public abstract class ApiCommand implements Callable<Integer> {
  @Spec
  protected CommandSpec spec;

  @Mixin
  protected ConnectionOptions connection;

  @Mixin
  protected OutputOptions output;

  @Mixin
  HelpOption help;

  @Override
  public final Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Printer printer = new Printer(spec.commandLine().getOut(), output.format());
    try {
      validate();
      CliContext context = CliContext.of(spec);
      Connection resolved = connection.resolve(context.env());
      try (ApiClient client = new ApiClient(resolved, context.clock(), VersionProvider.version())) {
        return run(client, printer);
      }
    } catch (CliException e) {
      printer.flush();
      err.println("error: " + e.getMessage());
      return e.exitCode();
    } finally {
      printer.flush();
      err.flush();
    }
  }

  /** Checks the options before anything is read or sent; throw {@link CliException#usage}. */
  protected void validate() {}

  /** Does the work and returns the exit code. */
  protected abstract int run(ApiClient client, Printer printer);

  /** A message for the person at the terminal (stderr), never part of the result. */
  protected void note(String message) {
    spec.commandLine().getErr().println(message);
  }
}
