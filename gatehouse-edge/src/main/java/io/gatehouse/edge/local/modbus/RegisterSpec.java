package io.gatehouse.edge.local.modbus;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.edge.pipeline.Reading;

/**
 * One named value read from a Modbus device, one item of a device's {@code registers:} list.
 *
 * <pre>{@code
 * - field: setpoint     # required: the field name in readings and commands
 *   kind: holding       # required: holding | input | coil | discrete
 *   address: 20         # required: 0 to 65535, the protocol address (register 40021 is address 20)
 *   type: uint16        # int16 | uint16 | int32 | uint32 | float32 for registers (required);
 *                       # bool for coils and discrete inputs (the default there)
 *   scale: 0.1          # value = raw * scale + offset; default 1, not for bool
 *   offset: 0           # default 0, not for bool
 *   writable: true      # commands may set it; holding and coil only; default false
 *   little-endian-words: false  # 32-bit types: low word first; default false (high word first)
 * }</pre>
 */
public record RegisterSpec(String field, RegisterKind kind, Integer address, DataType type, Double scale, Double offset,
    Boolean writable, @JsonProperty("little-endian-words") Boolean littleEndianWords) {
  public static final int MAX_ADDRESS = 65_535;

  public RegisterSpec {
    field = fieldName(field);
    if (kind == null) {
      throw refused(field, "'kind' is required; give one of: holding, input, coil, discrete");
    }
    if (type == null && kind.holdsBits()) {
      type = DataType.BOOL;
    }
    checkType(field, kind, type);
    checkAddress(field, kind, address, type);
    checkScaling(field, type, scale, offset);
    if (Boolean.TRUE.equals(writable) && !kind.isWritable()) {
      throw refused(field, "'writable: true' is not allowed for kind " + kind + ": Modbus "
          + (kind.holdsBits() ? "discrete inputs" : "input registers") + " are read-only; use kind "
          + (kind.holdsBits() ? "coil" : "holding") + " if the device lets you write it");
    }
    if (Boolean.TRUE.equals(littleEndianWords) && !type.isThirtyTwoBit()) {
      throw refused(field, "'little-endian-words' applies to 32-bit types (int32, uint32, float32) only, not to " + type);
    }
    scale = scale == null ? 1.0 : scale;
    offset = offset == null ? 0.0 : offset;
    writable = Boolean.TRUE.equals(writable);
    littleEndianWords = Boolean.TRUE.equals(littleEndianWords);
  }

  /** A register with the defaults for everything optional. */
  public static RegisterSpec of(String field, RegisterKind kind, int address, DataType type) {
    return new RegisterSpec(field, kind, address, type, null, null, null, null);
  }

  /** The address after the last one this register occupies. */
  int endAddress() {
    return address + type.width();
  }

  /** e.g. {@code holding register 20}, {@code holding registers 20-21}, {@code coil 3}, for messages. */
  String location() {
    String table = switch (kind) {
      case HOLDING -> "holding register";
      case INPUT -> "input register";
      case COIL -> "coil";
      case DISCRETE -> "discrete input";
    };
    return type.width() == 1 ? table + " " + address : table + "s " + address + "-" + (endAddress() - 1);
  }

  private static String fieldName(String field) {
    if (field == null) {
      throw new IllegalArgumentException("register: 'field' is required; give the reading field name, e.g. field: temperature");
    }
    if (field.equals("true") || field.equals("false")) {
      throw new IllegalArgumentException("register: field name '" + field + "' is what YAML makes of an unquoted on, off, "
          + "yes or no; quote the name, e.g. field: \"on\"");
    }
    try {
      return Reading.requireValidFieldName(field);
    } catch (InvalidInputException e) {
      throw new IllegalArgumentException("register: 'field': " + e.getMessage());
    }
  }

  private static void checkType(String field, RegisterKind kind, DataType type) {
    if (type == null) {
      throw refused(field, "'type' is required for kind " + kind + "; give one of: " + DataType.wordTypeNames());
    }
    if (kind.holdsBits() && type != DataType.BOOL) {
      throw refused(field, "type " + type + " is not allowed for kind " + kind
          + "; coils and discrete inputs are single bits, so their type is bool");
    }
    if (!kind.holdsBits() && type == DataType.BOOL) {
      throw refused(field, "type bool is not allowed for kind " + kind + "; registers are 16-bit words, use one of: "
          + DataType.wordTypeNames() + " (or kind coil/discrete for a bit)");
    }
  }

  private static void checkAddress(String field, RegisterKind kind, Integer address, DataType type) {
    if (address == null) {
      throw refused(field, "'address' is required; give the protocol address 0 to " + MAX_ADDRESS
          + " (holding register 40001 is address 0)");
    }
    if (address < 0 || address > MAX_ADDRESS) {
      throw refused(field, "'address' " + address + " is out of range; Modbus addresses are 0 to " + MAX_ADDRESS
          + " (for 5- or 6-digit register numbers such as 40021, subtract the table's base and 1: address 20)");
    }
    if (address + type.width() - 1 > MAX_ADDRESS) {
      throw refused(field, "a " + type + " at " + kind + " address " + address + " needs addresses " + address + "-"
          + (address + type.width() - 1) + ", past the last address " + MAX_ADDRESS);
    }
  }

  private static void checkScaling(String field, DataType type, Double scale, Double offset) {
    // The defaults (scale 1, offset 0) pass, so a built register can be built again from its components.
    boolean scaled = scale != null && scale != 1.0;
    if (type == DataType.BOOL && (scaled || (offset != null && offset != 0.0))) {
      throw refused(field, "'" + (scaled ? "scale" : "offset") + "' does not apply to type bool; remove it");
    }
    if (scale != null && (scale == 0 || !Double.isFinite(scale))) {
      throw refused(field, "'scale' is " + scale + "; it must be a finite number other than 0 (value = raw * scale + offset)");
    }
    if (offset != null && !Double.isFinite(offset)) {
      throw refused(field, "'offset' is " + offset + "; it must be a finite number");
    }
  }

  private static IllegalArgumentException refused(String field, String problem) {
    return new IllegalArgumentException("register '" + field + "': " + problem);
  }
}
