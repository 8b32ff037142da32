package io.gatehouse.edge.local.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.edge.pipeline.ConfigYaml;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code modbus:} section: the documented example, defaults, and a precise message for every mistake. */
class ModbusConfigTest {
  private static final String EXAMPLE = """
      modbus:
        devices:
          - leaf: boiler-1
            host: 192.168.1.50
            port: 502
            unit-id: 1
            interval: 1s
            timeout: 500ms
            registers:
              - {field: temperature, kind: holding, address: 0, type: int16, scale: 0.1}
              - {field: pressure, kind: input, address: 10, type: float32}
              - {field: running, kind: coil, address: 0, type: bool}
              - {field: setpoint, kind: holding, address: 20, type: uint16, scale: 0.1, writable: true}
      """;

  @Test
  void theDocumentedExampleParses() throws Exception {
    JsonNode edgeConfig = ConfigYaml.strictMapper().readTree(EXAMPLE);

    ModbusConfig config = ModbusConfig.fromTree(edgeConfig.get("modbus"));

    DeviceSpec boiler = config.devices().getFirst();
    assertThat(boiler.leaf()).isEqualTo("boiler-1");
    assertThat(boiler.endpoint()).isEqualTo("192.168.1.50:502 unit 1");
    assertThat(boiler.interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(boiler.timeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(boiler.disconnectAfterFailures()).isEqualTo(3);
    assertThat(boiler.registers()).containsExactly(
        new RegisterSpec("temperature", RegisterKind.HOLDING, 0, DataType.INT16, 0.1, 0.0, false, false),
        new RegisterSpec("pressure", RegisterKind.INPUT, 10, DataType.FLOAT32, 1.0, 0.0, false, false),
        new RegisterSpec("running", RegisterKind.COIL, 0, DataType.BOOL, null, null, false, null),
        new RegisterSpec("setpoint", RegisterKind.HOLDING, 20, DataType.UINT16, 0.1, 0.0, true, false));
    assertThat(boiler.takesCommands()).isTrue();
    assertThat(boiler.writableFields()).containsExactly("setpoint");
  }

  @Test
  void optionalPropertiesHaveDefaults() {
    DeviceSpec device = ModbusConfig.parse("""
        devices:
          - {leaf: meter-2, host: meter.lan, interval: 250ms, registers: [{field: kwh, kind: input, address: 0, type: uint32}]}
        """).devices().getFirst();

    assertThat(device.port()).isEqualTo(502);
    assertThat(device.unitId()).isEqualTo(1);
    assertThat(device.timeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(device.takesCommands()).isFalse();
    assertThat(device.registers().getFirst()).isEqualTo(RegisterSpec.of("kwh", RegisterKind.INPUT, 0, DataType.UINT32));
  }

  @Test
  void unknownKeysAreErrorsNamingTheKey() {
    assertRefused("""
        modbus:
          devices: []
          polling: fast
        """, "modbus: unknown property 'polling'; expected one of: devices");
    assertRefused(device("retries: 3", "- {field: t, kind: holding, address: 0, type: int16}"),
        "modbus.devices, item 1, at retries: unknown property 'retries'; expected one of: disconnect-after-failures, host, "
            + "interval, leaf, port, registers, timeout, unit-id");
    assertRefused(device("unitId: 1", "- {field: t, kind: holding, address: 0, type: int16}"),
        "at unitId: unknown property 'unitId'; expected one of: disconnect-after-failures, host, interval, leaf, port, "
            + "registers, timeout, unit-id");
    assertRefused(device("", "- {field: t, kind: holding, address: 0, type: int16, writeable: true}"),
        "modbus.devices, item 1, at registers[0].writeable: unknown property 'writeable'; expected one of: address, field, kind, "
            + "little-endian-words, offset, scale, type, writable");
  }

  @Test
  void aTypeMustSuitItsKind() {
    assertRefused(device("", "- {field: running, kind: coil, address: 0, type: int16}"),
        "modbus.devices, item 1, at registers[0]: register 'running': type int16 is not allowed for kind coil; "
            + "coils and discrete inputs are single bits, so their type is bool");
    assertRefused(device("", "- {field: t, kind: input, address: 0, type: bool}"),
        "register 't': type bool is not allowed for kind input; registers are 16-bit words, use one of: int16, uint16, "
            + "int32, uint32, float32 (or kind coil/discrete for a bit)");
    assertRefused(device("", "- {field: t, kind: holding, address: 0}"),
        "register 't': 'type' is required for kind holding; give one of: int16, uint16, int32, uint32, float32");
    assertRefused(device("", "- {field: t, kind: holding, address: 0, type: int64}"),
        "modbus.devices, item 1, at registers[0].type: unknown type 'int64'; expected one of: int16, uint16, int32, "
            + "uint32, float32, bool");
    assertRefused(device("", "- {field: t, kind: register, address: 0, type: int16}"),
        "at registers[0].kind: unknown kind 'register'; expected one of: holding, input, coil, discrete");
    assertRefused(device("", "- {field: pump, kind: coil, address: 0, scale: 2}"),
        "register 'pump': 'scale' does not apply to type bool; remove it");
    assertRefused(device("", "- {field: on, kind: coil, address: 0}"),
        "register: field name 'true' is what YAML makes of an unquoted on, off, yes or no; quote the name, e.g. field: \"on\"");
    assertRefused(device("", "- {field: t, kind: holding, address: 0, type: int16, little-endian-words: true}"),
        "register 't': 'little-endian-words' applies to 32-bit types (int32, uint32, float32) only, not to int16");
    assertRefused(device("", "- {field: t, kind: holding, address: 0, type: int16, scale: 0}"),
        "register 't': 'scale' is 0.0; it must be a finite number other than 0");
  }

  @Test
  void onlyHoldingRegistersAndCoilsCanBeWritable() {
    assertRefused(device("", "- {field: p, kind: input, address: 0, type: int16, writable: true}"),
        "register 'p': 'writable: true' is not allowed for kind input: Modbus input registers are read-only; use kind "
            + "holding if the device lets you write it");
    assertRefused(device("", "- {field: d, kind: discrete, address: 0, writable: true}"),
        "register 'd': 'writable: true' is not allowed for kind discrete: Modbus discrete inputs are read-only");
  }

  @Test
  void addressesMustLieInTheProtocolsRange() {
    assertRefused(device("", "- {field: t, kind: holding, address: 65536, type: int16}"),
        "register 't': 'address' 65536 is out of range; Modbus addresses are 0 to 65535");
    assertRefused(device("", "- {field: t, kind: holding, address: -1, type: int16}"),
        "register 't': 'address' -1 is out of range");
    assertRefused(device("", "- {field: t, kind: holding, address: 65535, type: float32}"),
        "register 't': a float32 at holding address 65535 needs addresses 65535-65536, past the last address 65535");
  }

  @Test
  void fieldsMustBeDistinctAndRegistersMustNotOverlap() {
    assertRefused(device("", """
        - {field: t, kind: holding, address: 0, type: int16}
        - {field: t, kind: input, address: 0, type: int16}
        """), "modbus.devices, item 1: device 'boiler-1': field 't' is defined twice; give each register its own field name");
    assertRefused(device("", """
        - {field: flow, kind: holding, address: 4, type: float32}
        - {field: level, kind: holding, address: 5, type: int16}
        """), "device 'boiler-1': registers 'flow' (holding registers 4-5) and 'level' (holding register 5) overlap; "
        + "a 32-bit type occupies two consecutive addresses");
    assertRefused(device("", "- {field: ts, kind: holding, address: 0, type: int16}"),
        "register: 'field': field name 'ts' is reserved");
  }

  @Test
  void timingIsChecked() {
    String register = "- {field: t, kind: holding, address: 0, type: int16}";
    assertRefused(deviceWithTiming("interval: 50ms", register),
        "device 'boiler-1': 'interval' 50ms is too short; poll at most every 100ms");
    assertRefused(deviceWithTiming("interval: 1s\n    timeout: 2s", register),
        "device 'boiler-1': 'timeout' 2s is longer than 'interval' 1s");
    assertRefused(deviceWithTiming("interval: 5", register), "at interval: duration 5 needs a unit, e.g. 5s or 5ms");
    assertRefused(deviceWithTiming("timeout: 1s", register), "device 'boiler-1': 'interval' is required");
  }

  @Test
  void devicesAreCheckedAsAWhole() {
    assertRefused("""
        devices:
          - {leaf: a, host: h, interval: 1s, registers: [{field: t, kind: holding, address: 0, type: int16}]}
          - {leaf: a, host: k, interval: 1s, registers: [{field: t, kind: holding, address: 0, type: int16}]}
        """, "modbus: leaf 'a' is configured for two devices; each device is one leaf");
    assertRefused("devices: []", "modbus: 'devices' is empty");
    assertRefused("{}", "modbus: 'devices' is required");
    assertRefused("""
        devices:
          - {leaf: a, interval: 1s, registers: [{field: t, kind: holding, address: 0, type: int16}]}
        """, "device 'a': 'host' is missing");
    assertRefused("""
        devices:
          - {leaf: a, host: h, unit-id: 256, interval: 1s, registers: [{field: t, kind: holding, address: 0, type: int16}]}
        """, "device 'a': 'unit-id' is 256; it must be between 0 and 255");
    assertRefused("""
        devices:
          - {leaf: a, host: h, interval: 1s, registers: []}
        """, "device 'a': 'registers' is empty");
  }

  private static String device(String extra, String registers) {
    return deviceWithTiming("interval: 1s" + (extra.isEmpty() ? "" : "\n    " + extra), registers);
  }

  private static String deviceWithTiming(String timing, String registers) {
    return """
        devices:
          - leaf: boiler-1
            host: 10.0.0.5
            %s
            registers:
        %s""".formatted(timing, registers.indent(6));
  }

  private static void assertRefused(String yaml, String expectedMessagePart) {
    assertThatThrownBy(() -> ModbusConfig.parse(yaml))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(expectedMessagePart);
  }

}
