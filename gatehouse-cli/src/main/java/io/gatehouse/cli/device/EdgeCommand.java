package io.gatehouse.cli.device;

import io.gatehouse.cli.CliContext;
import io.gatehouse.cli.common.HelpOption;
import io.gatehouse.edge.runtime.EdgeConfig;
import io.gatehouse.edge.runtime.EdgeConfigFile;
import io.gatehouse.edge.runtime.EdgeRuntime;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gatehouse edge --config edge.yaml} runs a field gateway; {@code gatehouse edge create|show|list|…}
 * manage field gateways (devices of kind {@code edge}) in the service gateway's registry.
 */
@Command(
    name = "edge",
    description = {
      "Run a field gateway (--config edge.yaml), or manage field gateways: devices of kind edge that may "
          + "speak for their child devices (`gatehouse device create LEAF --parent EDGE`).",
      "Edges are devices: enable, disable, quarantine, connection-string, token and rotate-key are "
          + "`gatehouse device` commands."
    },
    subcommands = {
      EdgeCreateCommand.class,
      DeviceShowCommand.class,
      EdgeListCommand.class,
      DeviceDeleteCommand.class,
      EdgePostureCommand.class
    })
public final class EdgeCommand implements DeviceKindScope, Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin
  HelpOption help;

  @Option(names = "--config", paramLabel = "FILE",
      description = "run the field gateway this edge.yaml describes, until SIGTERM or Ctrl-C (env GATEHOUSE_EDGE_CONFIG)")
  Path config;

  @Override
  public Optional<String> requiredKind() {
    return Optional.of("edge");
  }

  @Override
  public String groupName() {
    return "edge";
  }

  @Override
  public Integer call() throws InterruptedException {
    CliContext context = CliContext.of(spec);
    Path file = config != null ? config
        : Optional.ofNullable(context.env().get("GATEHOUSE_EDGE_CONFIG")).map(Path::of).orElse(null);
    PrintWriter err = spec.commandLine().getErr();
    if (file == null) {
      spec.commandLine().usage(err);
      err.println("gatehouse edge: give --config edge.yaml to run a field gateway, or a subcommand");
      return 2;
    }
    EdgeConfig edgeConfig;
    try {
      edgeConfig = EdgeConfigFile.load(file);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      err.println("gatehouse edge: " + e.getMessage());
      return 2;
    }
    EdgeRuntime edge;
    try {
      edge = EdgeRuntime.start(edgeConfig, context.clock());
    } catch (RuntimeException e) {
      err.println("gatehouse edge: cannot start: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      edge.close();
      stopped.countDown();
    }, "gatehouse-edge-shutdown"));
    PrintWriter out = spec.commandLine().getOut();
    out.println("gatehouse edge " + edge.edgeId() + " running");
    edge.listeners().forEach((adapter, addresses) -> out.println("  " + adapter + " listening on " + addresses));
    out.println("  uplink to " + edgeConfig.uplink().host() + ":" + edgeConfig.uplink().port()
        + " (outbound MQTT 5 over TLS; reconnects on its own)");
    out.flush();
    stopped.await();
    return 0;
  }
}
