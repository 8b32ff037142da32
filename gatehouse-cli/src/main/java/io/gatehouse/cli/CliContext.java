package io.gatehouse.cli;

import java.time.Clock;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What a command takes from its surroundings: the environment variables and the clock. Tests pass
 * their own through {@link Main#Main(Map, Clock)}; nothing reads {@link System#getenv()} directly.
 *
 * @param env environment variables, e.g. {@code GATEHOUSE_URL}
 * @param clock the clock that dates SAS tokens
 */
public record CliContext(Map<String, String> env, Clock clock) {
  public CliContext {
    env = Map.copyOf(env);
  }

  /** The process environment and the system clock. */
  public static CliContext system() {
    return new CliContext(System.getenv(), Clock.systemUTC());
  }

  /** The context of the command tree {@code spec} belongs to: its root's, or the system's. */
  public static CliContext of(CommandSpec spec) {
    return spec.root().userObject() instanceof Source source ? source.context() : system();
  }

  /** A root command that carries a context (the {@code gatehouse} command, {@link Main}). */
  public interface Source {
    CliContext context();
  }
}
