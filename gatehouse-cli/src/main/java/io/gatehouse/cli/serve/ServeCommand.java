package io.gatehouse.cli.serve;

import io.gatehouse.cli.CliContext;
import io.gatehouse.core.error.GatehouseException;
import io.gatehouse.server.bootstrap.Gateway;
import io.gatehouse.server.bootstrap.GatewayConfig;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gatehouse serve}: runs the service gateway until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {
      "Run the service gateway: HTTPS service API over TLS, embedded SQLite store.",
      "Each setting comes from its flag, else the environment variable GATEHOUSE_<SETTING> "
          + "(e.g. GATEHOUSE_HTTPS_PORT), else the --config file (setting=value lines), else the default."})
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "settings file (env GATEHOUSE_CONFIG)")
  Path config;

  @Option(names = "--data", paramLabel = "DIR", description = "data directory (default ./gatehouse-data)")
  String data;

  @Option(names = "--hostname", paramLabel = "NAME",
      description = "the gateway's DNS name: SAS audience, connection strings, certificate (default localhost)")
  String hostName;

  @Option(names = "--https-port", paramLabel = "PORT", description = "HTTPS port (default 8443; 0 picks a free one)")
  Integer httpsPort;

  @Option(names = "--mqtt-port", paramLabel = "PORT", description = "MQTT port, reserved (default 8883)")
  Integer mqttPort;

  @Option(names = "--bind", paramLabel = "ADDR", description = "listen address (default 0.0.0.0)")
  String bind;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "your PEM certificate chain, instead of the development CA")
  String tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "the PEM private key of --tls-cert")
  String tlsKey;

  @Option(names = "--tpm-roots", paramLabel = "FILE",
      description = "PEM file of TPM manufacturers' root certificates: EK certificates of TPM enrollments must chain to one")
  String tpmRoots;

  @Override
  public Integer call() throws InterruptedException {
    CliContext context = CliContext.of(spec);
    GatewayConfig gatewayConfig;
    try {
      gatewayConfig = resolve(context);
    } catch (GatehouseException e) {
      spec.commandLine().getErr().println("gatehouse serve: " + e.getMessage());
      return 2;
    }
    Gateway gateway;
    try {
      gateway = Gateway.start(gatewayConfig, context.clock());
    } catch (RuntimeException e) {
      spec.commandLine().getErr().println("gatehouse serve: cannot start: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      gateway.close();
      stopped.countDown();
    }, "gatehouse-shutdown"));
    spec.commandLine().getOut().println(gateway.report().render());
    spec.commandLine().getOut().flush();
    stopped.await();
    return 0;
  }

  GatewayConfig resolve(CliContext context) {
    ServeSettings settings = ServeSettings.load(context.env(), config);
    String cert = settings.string("tls-cert", tlsCert, null);
    String key = settings.string("tls-key", tlsKey, null);
    return new GatewayConfig(
        Path.of(settings.string("data", data, "gatehouse-data")),
        settings.string("hostname", hostName, "localhost"),
        settings.string("bind", bind, "0.0.0.0"),
        settings.integer("https-port", httpsPort, GatewayConfig.DEFAULT_HTTPS_PORT),
        settings.integer("mqtt-port", mqttPort, GatewayConfig.DEFAULT_MQTT_PORT),
        cert == null ? null : Path.of(cert),
        key == null ? null : Path.of(key),
        settings.integer("max-body-bytes", null, GatewayConfig.DEFAULT_MAX_BODY),
        Optional.ofNullable(settings.string("tpm-roots", tpmRoots, null)).map(Path::of).orElse(null));
  }
}
