package io.gatehouse.edge.local.modbus;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.edge.local.LeafDeliveryException;
import io.gatehouse.edge.local.LeafDeliveryException.Reason;
import io.gatehouse.edge.pipeline.Reading;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a command for a Modbus device: one flat JSON object naming writable fields, in the same
 * shape as the device's readings, e.g. {@code {"setpoint": 21.5, "pump": true}}. Everything is
 * checked before anything is written, so a command with one bad field writes nothing.
 */
final class CommandParser {
  /** Commands set a few fields; anything larger is a mistake, refused before parsing. */
  static final int MAX_COMMAND_BYTES = 4096;

  private CommandParser() {}

  /** @throws LeafDeliveryException TOO_LARGE or REFUSED_BY_LEAF, saying what is wrong */
  static List<RegisterWrite> parse(DeviceSpec device, byte[] payload) {
    if (payload.length > MAX_COMMAND_BYTES) {
      throw refused(device, Reason.TOO_LARGE, "the command is " + payload.length + " bytes; a Modbus device takes at most "
          + MAX_COMMAND_BYTES + " (a JSON object of its writable fields)");
    }
    Map<String, Object> fields;
    try {
      // Commands have the shape of readings, so the reading parser's strictness and limits apply.
      fields = Reading.fromJson(device.leaf(), Instant.EPOCH, payload).fields();
    } catch (InvalidInputException e) {
      throw refused(device, Reason.REFUSED_BY_LEAF, "the command must be a JSON object of field values such as "
          + example(device) + ": " + e.getMessage());
    }
    if (fields.isEmpty()) {
      throw refused(device, Reason.REFUSED_BY_LEAF, "the command names no field; send e.g. " + example(device));
    }
    List<RegisterWrite> writes = new ArrayList<>(fields.size());
    fields.forEach((field, value) -> writes.add(write(device, field, value)));
    return writes;
  }

  private static RegisterWrite write(DeviceSpec device, String field, Object value) {
    RegisterSpec register = device.register(field).orElseThrow(() -> refused(device, Reason.REFUSED_BY_LEAF,
        "unknown field '" + field + "'; " + writableFields(device)));
    if (!register.writable()) {
      throw refused(device, Reason.REFUSED_BY_LEAF, "field '" + field + "' is read-only (" + register.location()
          + " is not marked writable: true in the edge config); " + writableFields(device));
    }
    if (register.type() == DataType.BOOL) {
      if (!(value instanceof Boolean on)) {
        throw refused(device, Reason.REFUSED_BY_LEAF, "field '" + field + "' is a coil and takes true or false, not "
            + describe(value));
      }
      return new RegisterWrite.Coil(register, on);
    }
    if (!(value instanceof Double number)) {
      throw refused(device, Reason.REFUSED_BY_LEAF, "field '" + field + "' takes a number, not " + describe(value));
    }
    try {
      return new RegisterWrite.Words(register, RegisterCodec.encode(register, number));
    } catch (IllegalArgumentException e) {
      throw refused(device, Reason.REFUSED_BY_LEAF, e.getMessage());
    }
  }

  private static String writableFields(DeviceSpec device) {
    List<String> writable = device.writableFields();
    return writable.isEmpty() ? "this device has no writable fields"
        : "writable fields are: " + String.join(", ", writable);
  }

  private static String example(DeviceSpec device) {
    return device.registers().stream().filter(RegisterSpec::writable).findFirst()
        .map(r -> "{\"" + r.field() + "\": " + (r.type() == DataType.BOOL ? "true" : "1") + "}")
        .orElse("{\"field\": 1}");
  }

  private static String describe(Object value) {
    return switch (value) {
      case String s -> "the string \"" + s + "\"";
      case Double d -> BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
      default -> String.valueOf(value);
    };
  }

  private static LeafDeliveryException refused(DeviceSpec device, Reason reason, String message) {
    return new LeafDeliveryException(device.leaf(), reason, message);
  }
}
