package io.gatehouse.edge.local.modbus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.edge.pipeline.ConfigYaml;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The Modbus devices the edge polls: the {@code modbus:} section of the edge config. Each device is
 * one leaf; each register becomes one field of that leaf's readings.
 *
 * <pre>{@code
 * modbus:
 *   devices:
 *     - leaf: boiler-1
 *       host: 192.168.1.50
 *       port: 502
 *       unit-id: 1
 *       interval: 1s
 *       timeout: 500ms
 *       registers:
 *         - {field: temperature, kind: holding, address: 0, type: int16, scale: 0.1}
 *         - {field: pressure, kind: input, address: 10, type: float32}
 *         - {field: running, kind: coil, address: 0, type: bool}
 *         - {field: setpoint, kind: holding, address: 20, type: uint16, scale: 0.1, writable: true}
 * }</pre>
 *
 * <p>See {@link DeviceSpec} and {@link RegisterSpec} for every property, its default and its limits
 * (among them {@code disconnect-after-failures} and, for 32-bit values stored low word first,
 * {@code little-endian-words: true}).
 * Unknown properties are errors naming the property, so a misspelt {@code writeable} never silently
 * leaves a register read-only.
 */
public record ModbusConfig(List<DeviceSpec> devices) {
  public static final String ROOT_KEY = "modbus";
  private static final String DEVICES_KEY = "devices";

  public ModbusConfig {
    Objects.requireNonNull(devices, "devices");
    if (devices.isEmpty()) {
      throw new IllegalArgumentException(ROOT_KEY + ": 'devices' is empty; list the devices to poll, or leave the "
          + ROOT_KEY + " section out");
    }
    Set<String> leaves = new HashSet<>();
    for (DeviceSpec device : devices) {
      if (!leaves.add(Objects.requireNonNull(device, "device").leaf())) {
        throw new IllegalArgumentException(ROOT_KEY + ": leaf '" + device.leaf() + "' is configured for two devices; "
            + "each device is one leaf, so give each its own leaf id");
      }
    }
    devices = List.copyOf(devices);
  }

  /**
   * Binds the {@code modbus} node of an edge config already parsed with {@link ConfigYaml#strictMapper()}.
   * Throws {@link IllegalArgumentException} naming the device, register and property at fault.
   */
  public static ModbusConfig fromTree(JsonNode modbusSection) {
    if (modbusSection == null || !modbusSection.isObject()) {
      throw new IllegalArgumentException(ROOT_KEY + " config must be a mapping with the key '" + DEVICES_KEY
          + ":' listing the devices to poll");
    }
    for (String key : (Iterable<String>) modbusSection::fieldNames) {
      if (!key.equals(DEVICES_KEY)) {
        throw new IllegalArgumentException(ROOT_KEY + ": unknown property '" + key + "'; expected one of: " + DEVICES_KEY);
      }
    }
    JsonNode devices = modbusSection.get(DEVICES_KEY);
    if (devices == null) {
      throw new IllegalArgumentException(ROOT_KEY + ": '" + DEVICES_KEY + "' is required; list the devices to poll");
    }
    return new ModbusConfig(ConfigYaml.readList(devices, ROOT_KEY + "." + DEVICES_KEY, DeviceSpec.class));
  }

  /** Parses YAML holding either the {@code modbus:} section alone or a mapping {@code modbus: {...}}. */
  public static ModbusConfig parse(String yaml) {
    JsonNode root;
    try {
      root = ConfigYaml.strictMapper().readTree(yaml == null ? "" : yaml);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(ROOT_KEY + " config is not valid YAML: " + e.getOriginalMessage(), e);
    }
    boolean wrapped = root != null && root.isObject() && root.size() == 1 && root.has(ROOT_KEY);
    return fromTree(wrapped ? root.get(ROOT_KEY) : root);
  }
}
