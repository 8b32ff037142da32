package io.gatehouse.edge.local.modbus;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The four Modbus data tables, as named in the {@code kind} property of a register. */
public enum RegisterKind {
  /** 16-bit read/write registers, read with FC3, written with FC6/FC16. */
  HOLDING("holding", false, true),
  /** 16-bit read-only registers, read with FC4. */
  INPUT("input", false, false),
  /** Read/write bits, read with FC1, written with FC5. */
  COIL("coil", true, true),
  /** Read-only bits, read with FC2. */
  DISCRETE("discrete", true, false);

  /** The protocol's limits for one read request: 125 registers or 2000 bits (one PDU of 253 bytes). */
  static final int MAX_REGISTERS_PER_READ = 125;
  static final int MAX_BITS_PER_READ = 2000;

  private final String configName;
  private final boolean bits;
  private final boolean writable;

  RegisterKind(String configName, boolean bits, boolean writable) {
    this.configName = configName;
    this.bits = bits;
    this.writable = writable;
  }

  @JsonCreator
  public static RegisterKind fromConfig(String name) {
    return Arrays.stream(values()).filter(kind -> kind.configName.equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown kind '" + name + "'; expected one of: " + names()));
  }

  public String configName() {
    return configName;
  }

  /** Coils and discrete inputs hold bits; holding and input registers hold 16-bit words. */
  public boolean holdsBits() {
    return bits;
  }

  /** Whether the Modbus protocol lets a client write this table at all. */
  public boolean isWritable() {
    return writable;
  }

  int maxPerRead() {
    return bits ? MAX_BITS_PER_READ : MAX_REGISTERS_PER_READ;
  }

  @Override
  public String toString() {
    return configName;
  }

  private static String names() {
    return Arrays.stream(values()).map(RegisterKind::configName).collect(Collectors.joining(", "));
  }
}
