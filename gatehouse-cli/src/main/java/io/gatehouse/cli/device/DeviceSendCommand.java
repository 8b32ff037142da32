package io.gatehouse.cli.device;

import io.gatehouse.cli.CliContext;
import io.gatehouse.cli.common.Tag;
import io.gatehouse.device.client.DeviceClient;
import io.gatehouse.device.client.DeviceIdentity;
import io.gatehouse.device.tpm.TpmIdentity;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gatehouse device send --config device.yaml PAYLOAD}: connects as the device over MQTT with
 * a SAS token signed inside its TPM, sends one telemetry message and waits for its PUBACK.
 */
@Command(name = "send", sortOptions = false,
    description = "Send telemetry as a provisioned device (the configuration `device provision` wrote), "
        + "authenticated with a token signed inside its TPM.")
public final class DeviceSendCommand extends LocalDeviceCommand {
  @Option(names = "--config", paramLabel = "FILE", required = true, description = "The device configuration.")
  Path config;

  @Option(names = "--property", paramLabel = "KEY=VALUE", converter = Tag.Converter.class,
      description = "An application property (repeatable).")
  List<Tag> properties = List.of();

  @Parameters(index = "0", paramLabel = "PAYLOAD", description = "The message body (UTF-8 text).")
  String payload;

  @Override
  protected void run(PrintWriter out, CliContext context) throws Exception {
    DeviceConfig device = DeviceConfig.read(config);
    Map<String, String> bag = new LinkedHashMap<>();
    properties.forEach(t -> bag.put(t.key(), t.value()));
    try (TpmIdentity tpm = TpmIdentity.open(device.tpm());
        DeviceClient client = DeviceClient.connect(
            new DeviceIdentity(device.hubHostName(), device.deviceId(), tpm, context.clock()),
            DeviceClient.Options.of(device.mqttHost(), device.mqttPort(), trusting(Path.of(device.ca()))), null)) {
      client.send(payload.getBytes(StandardCharsets.UTF_8), bag).get(30, TimeUnit.SECONDS);
      out.println("sent as " + device.deviceId() + " (acknowledged by " + device.mqttHost() + ":" + device.mqttPort()
          + ")");
    }
  }
}
