package io.gatehouse.edge.local.modbus;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How the raw content of one or two registers (or one bit) becomes a value, as named in the
 * {@code type} property of a register. 32-bit types span two consecutive registers.
 */
public enum DataType {
  INT16("int16", 1, -32_768, 32_767),
  UINT16("uint16", 1, 0, 65_535),
  INT32("int32", 2, Integer.MIN_VALUE, Integer.MAX_VALUE),
  UINT32("uint32", 2, 0, 4_294_967_295L),
  /** IEEE 754 single precision; its range is checked separately, so the integer bounds are unused. */
  FLOAT32("float32", 2, 0, 0),
  /** One coil or discrete input. */
  BOOL("bool", 1, 0, 1);

  private final String configName;
  private final int width;
  private final long minRaw;
  private final long maxRaw;

  DataType(String configName, int width, long minRaw, long maxRaw) {
    this.configName = configName;
    this.width = width;
    this.minRaw = minRaw;
    this.maxRaw = maxRaw;
  }

  @JsonCreator
  public static DataType fromConfig(String name) {
    return Arrays.stream(values()).filter(type -> type.configName.equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown type '" + name + "'; expected one of: " + names()));
  }

  public String configName() {
    return configName;
  }

  /** Addresses occupied: registers for word types, 1 for {@code bool}. */
  public int width() {
    return width;
  }

  public boolean isThirtyTwoBit() {
    return width == 2;
  }

  public boolean isInteger() {
    return this != FLOAT32 && this != BOOL;
  }

  long minRaw() {
    return minRaw;
  }

  long maxRaw() {
    return maxRaw;
  }

  @Override
  public String toString() {
    return configName;
  }

  static String wordTypeNames() {
    return Arrays.stream(values()).filter(type -> type != BOOL).map(DataType::configName)
        .collect(Collectors.joining(", "));
  }

  private static String names() {
    return Arrays.stream(values()).map(DataType::configName).collect(Collectors.joining(", "));
  }
}
