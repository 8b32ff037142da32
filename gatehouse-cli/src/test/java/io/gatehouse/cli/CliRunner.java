package io.gatehouse.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code gatehouse …} in-process with an injected environment and captured output. */
public final class CliRunner {
  /** What a run printed and returned. */
  public record Result(int exitCode, String out, String err) {
    /** Everything printed, for checks that no secret appears anywhere. */
    public String all() {
      return out + err;
    }
  }

  private CliRunner() {}

  public static Result run(Map<String, String> env, String... args) {
    return run(new Main(env), args);
  }

  public static Result run(Map<String, String> env, Clock clock, String... args) {
    return run(new Main(env, clock), args);
  }

  public static CommandLine commandLine(Map<String, String> env) {
    return Main.commandLine(new Main(env));
  }

  private static Result run(Main main, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine(main);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
