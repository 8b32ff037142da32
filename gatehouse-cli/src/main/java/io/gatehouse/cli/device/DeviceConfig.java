package io.gatehouse.cli.device;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.gatehouse.cli.CliException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code device provision} writes and {@code device send} reads: where the device's hub is,
 * who it is, and where its TPM is. No key, token or blob: the keys stay in the TPM, so this file may
 * be copied and read by anyone without making them the device.
 *
 * @param hubHostName the hub name the device's tokens are for (DPS's assignedHub)
 * @param mqttHost where to connect for MQTT (the gateway's address; may differ from the hub name)
 * @param ca the PEM file of the CA that signed the gateway's certificate
 * @param httpsPort the gateway's HTTPS device API port on {@code mqttHost} ({@code null} in files
 *     written before the HTTPS transport: such a device sends over MQTT only)
 */
public record DeviceConfig(String hubHostName, String deviceId, String registrationId, String tpm, String mqttHost,
    int mqttPort, String ca, Integer httpsPort) {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  public void write(Path file) {
    try {
      String header = "# Gatehouse device configuration: written by `gatehouse device provision`.\n"
          + "# It holds no secret: the device's key is inside the TPM named below.\n";
      Files.writeString(file, header + YAML.writeValueAsString(this));
    } catch (IOException e) {
      throw CliException.usage("cannot write " + file + ": " + e.getMessage());
    }
  }

  public static DeviceConfig read(Path file) {
    try {
      DeviceConfig config = YAML.readValue(file.toFile(), DeviceConfig.class);
      if (config.hubHostName() == null || config.deviceId() == null || config.tpm() == null
          || config.mqttHost() == null || config.ca() == null) {
        throw CliException.usage(file + " lacks one of hubHostName, deviceId, tpm, mqttHost, ca: "
            + "write it with `gatehouse device provision`");
      }
      return config;
    } catch (IOException e) {
      throw CliException.usage("cannot read the device configuration " + file + ": " + e.getMessage());
    }
  }
}
