package io.gatehouse.cli;

import io.gatehouse.cli.audit.AuditCommand;
import io.gatehouse.cli.ca.CaCommand;
import io.gatehouse.cli.enrollment.EnrollmentCommand;
import io.gatehouse.cli.device.DeviceCommand;
import io.gatehouse.cli.device.EdgeCommand;
import io.gatehouse.cli.message.MessageCommand;
import io.gatehouse.cli.serve.ServeCommand;
import io.gatehouse.cli.service.ServiceCommand;
import io.gatehouse.cli.telemetry.TelemetryCommand;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code gatehouse} command. Tests run it as {@code Main.commandLine(new Main(env)).execute(args)}
 * (or plainly {@code new CommandLine(new Main(env))}) with {@code setOut}/{@code setErr} writers; the
 * process entry point is {@link #main(String[])}.
 */
@Command(
    name = "gatehouse",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    modelTransformer = Main.NoArgumentFiles.class,
    description = "Operate a Gatehouse IoT security gateway: run it (serve), manage its devices, "
        + "field gateways, service identities, CA certificates and audit log, send messages to devices and "
        + "watch their telemetry.",
    subcommands = {
      ServeCommand.class,
      DeviceCommand.class,
      EdgeCommand.class,
      ServiceCommand.class,
      CaCommand.class,
      EnrollmentCommand.class,
      AuditCommand.class,
      MessageCommand.class,
      TelemetryCommand.class,
      CommandLine.HelpCommand.class
    },
    footerHeading = "%nConnection:%n",
    footer = {
      "Client commands find the gateway through the files `gatehouse serve` writes into its data "
          + "directory (default ./gatehouse-data): cli.json and operator.credential. Run them where "
          + "serve was started, or pass --data DIR, or --url URL and --credential CONNSTRING|@FILE.",
      "",
      "Exit codes: 0 ok; 1 the server refused; 2 usage or local configuration error; "
          + "3 the server cannot be reached (refused, unknown host, untrusted TLS, timeout)."
    })
public final class Main implements CliContext.Source {
  private final CliContext context;

  /** The process environment and the system clock. */
  public Main() {
    this(System.getenv());
  }

  /** An injected environment (e.g. {@code Map.of("GATEHOUSE_DATA", dir)}) and the system clock. */
  public Main(Map<String, String> env) {
    this(env, Clock.systemUTC());
  }

  public Main(Map<String, String> env, Clock clock) {
    this.context = new CliContext(env, clock);
  }

  @Override
  public CliContext context() {
    return context;
  }

  /** The command line as the process runs it: usage errors never echo a secret argument. */
  public static CommandLine commandLine(Main main) {
    CommandLine commandLine = new CommandLine(main);
    commandLine.setParameterExceptionHandler(new SecretRedactingHandler(commandLine.getParameterExceptionHandler()));
    return commandLine;
  }

  public static void main(String[] args) {
    System.exit(commandLine(new Main()).execute(args));
  }

  /**
   * Turns off picocli's {@code @file} argument expansion: {@code --credential @FILE} means "read
   * the connection string from FILE", and expanding it into the argument list would let picocli's
   * tracing print the secret.
   */
  public static final class NoArgumentFiles implements IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      spec.parser().expandAtFiles(false);
      return spec;
    }
  }
}
