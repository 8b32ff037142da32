package io.gatehouse.cli.device;

import io.gatehouse.cli.CliContext;
import io.gatehouse.cli.CliException;
import io.gatehouse.cli.common.Tag;
import io.gatehouse.device.client.DeviceClient;
import io.gatehouse.device.client.DeviceIdentity;
import io.gatehouse.device.tpm.TpmIdentity;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code gatehouse device send --config device.yaml [--transport mqtt|https] PAYLOAD}: connects as
 * the device with a SAS token signed inside its TPM, sends one telemetry message and waits for the
 * gateway's acknowledgement (MQTT PUBACK, or HTTPS 204).
 */
@Command(name = "send", sortOptions = false,
    description = "Send telemetry as a provisioned device (the configuration `device provision` wrote), "
        + "authenticated with a token signed inside its TPM.")
public final class DeviceSendCommand extends LocalDeviceCommand {
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

  @Option(names = "--config", paramLabel = "FILE", required = true, description = "The device configuration.")
  Path config;

  @Option(names = "--property", paramLabel = "KEY=VALUE", converter = Tag.Converter.class,
      description = "An application property (repeatable).")
  List<Tag> properties = List.of();

  @Option(names = "--transport", paramLabel = "mqtt|https", defaultValue = "mqtt",
      converter = TransportConverter.class,
      description = "MQTT (the configuration's mqttPort) or HTTPS (its httpsPort) (default: ${DEFAULT-VALUE}).")
  DeviceClient.Transport transport;

  @Parameters(index = "0", paramLabel = "PAYLOAD", description = "The message body (UTF-8 text).")
  String payload;

  @Override
  protected void run(PrintWriter out, CliContext context) throws Exception {
    DeviceConfig device = DeviceConfig.read(config);
    Map<String, String> bag = new LinkedHashMap<>();
    properties.forEach(t -> bag.put(t.key(), t.value()));
    int port = switch (transport) {
      case MQTT -> device.mqttPort();
      case HTTPS -> {
        if (device.httpsPort() == null) {
          throw CliException.usage(config + " has no httpsPort (written before HTTPS was supported): add "
              + "'httpsPort: 8443' (the gateway's HTTPS port) or provision again");
        }
        yield device.httpsPort();
      }
    };
    DeviceClient.Options options = DeviceClient.Options.of(device.mqttHost(), port, trusting(Path.of(device.ca())))
        .withTransport(transport);
    try (TpmIdentity tpm = TpmIdentity.open(device.tpm());
        DeviceClient client = DeviceClient.connect(
            new DeviceIdentity(device.hubHostName(), device.deviceId(), tpm, context.clock()), options, null)) {
      client.send(payload.getBytes(StandardCharsets.UTF_8), bag).get(SEND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      out.println("sent as " + device.deviceId() + " over " + transport.name() + " (acknowledged by "
          + device.mqttHost() + ":" + port + ")");
    } catch (ExecutionException e) {
      // a refusal carries the gateway's status and reason; the caller sees it as the SDK wrote it
      throw e.getCause() instanceof Exception cause ? cause : e;
    } catch (TimeoutException e) {
      throw CliException.unreachable("no acknowledgement from " + device.mqttHost() + ":" + port + " over "
          + transport.name() + " within " + SEND_TIMEOUT.toSeconds() + " s; the message may or may not have been "
          + "stored", e);
    }
  }

  /** {@code mqtt} or {@code https}, in any case. */
  static final class TransportConverter implements ITypeConverter<DeviceClient.Transport> {
    @Override
    public DeviceClient.Transport convert(String value) {
      try {
        return DeviceClient.Transport.valueOf(value.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("'" + value + "' is not a transport: use mqtt or https");
      }
    }
  }
}
