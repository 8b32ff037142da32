package io.gatehouse.edge.local.modbus;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * Turns register contents into field values and back: {@code value = raw * scale + offset}.
 *
 * <p>Arithmetic is decimal, so {@code 3 * 0.1} reads as {@code 0.3}, not {@code 0.30000000000000004},
 * and a float32 holding {@code 3.14f} reads as {@code 3.14} (its shortest decimal form), which is
 * what a person set on the device's panel.
 */
final class RegisterCodec {
  private static final BigDecimal MAX_FLOAT = new BigDecimal(Float.MAX_VALUE);

  private RegisterCodec() {}

  /**
   * The value of a word register from its first and (for 32-bit types) second word as they appear on
   * the wire; empty for a float32 holding NaN or infinity, which JSON readings cannot carry.
   */
  static Optional<Double> decode(RegisterSpec register, int firstWord, int secondWord) {
    int high = register.littleEndianWords() ? secondWord : firstWord;
    int low = register.littleEndianWords() ? firstWord : secondWord;
    int bits32 = (high << 16) | (low & 0xFFFF);
    BigDecimal raw = switch (register.type()) {
      case INT16 -> BigDecimal.valueOf((short) firstWord);
      case UINT16 -> BigDecimal.valueOf(firstWord & 0xFFFF);
      case INT32 -> BigDecimal.valueOf(bits32);
      case UINT32 -> BigDecimal.valueOf(Integer.toUnsignedLong(bits32));
      case FLOAT32 -> {
        float f = Float.intBitsToFloat(bits32);
        yield Float.isFinite(f) ? new BigDecimal(Float.toString(f)) : null;
      }
      case BOOL -> throw new IllegalArgumentException("register '" + register.field() + "' is a bit, not a word");
    };
    return Optional.ofNullable(raw).map(r -> scaled(register, r));
  }

  /**
   * The words to write for {@code value}, in wire order: {@code raw = (value - offset) / scale},
   * rounded to the nearest step for integer types.
   *
   * @throws IllegalArgumentException if the value does not fit the register's type; the message
   *     gives the range of values that do
   */
  static int[] encode(RegisterSpec register, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("field '" + register.field() + "': " + value + " is not a finite number");
    }
    BigDecimal raw = BigDecimal.valueOf(value).subtract(BigDecimal.valueOf(register.offset()))
        .divide(BigDecimal.valueOf(register.scale()), MathContext.DECIMAL64);
    DataType type = register.type();
    if (type == DataType.FLOAT32) {
      if (raw.abs().compareTo(MAX_FLOAT) > 0) {
        throw outOfRange(register, value, "float32 holds at most ±" + Float.MAX_VALUE);
      }
      return words(register, Float.floatToIntBits(raw.floatValue()));
    }
    BigDecimal rounded = raw.setScale(0, RoundingMode.HALF_EVEN);
    if (rounded.compareTo(BigDecimal.valueOf(type.minRaw())) < 0 || rounded.compareTo(BigDecimal.valueOf(type.maxRaw())) > 0) {
      throw outOfRange(register, value, type + " holds " + type.minRaw() + " to " + type.maxRaw());
    }
    long fitting = rounded.longValueExact();
    return type.isThirtyTwoBit() ? words(register, (int) fitting) : new int[] {(int) (fitting & 0xFFFF)};
  }

  private static int[] words(RegisterSpec register, int bits32) {
    int high = (bits32 >>> 16) & 0xFFFF;
    int low = bits32 & 0xFFFF;
    return register.littleEndianWords() ? new int[] {low, high} : new int[] {high, low};
  }

  private static double scaled(RegisterSpec register, BigDecimal raw) {
    if (register.scale() == 1.0 && register.offset() == 0.0) {
      return raw.doubleValue();
    }
    return raw.multiply(BigDecimal.valueOf(register.scale())).add(BigDecimal.valueOf(register.offset())).doubleValue();
  }

  private static IllegalArgumentException outOfRange(RegisterSpec register, double value, String typeRange) {
    DataType type = register.type();
    String range = type == DataType.FLOAT32 ? "" : "; with scale " + plain(register.scale()) + " and offset "
        + plain(register.offset()) + " the value must be between " + plain(bound(register, type.minRaw(), type.maxRaw(), true))
        + " and " + plain(bound(register, type.minRaw(), type.maxRaw(), false));
    return new IllegalArgumentException("field '" + register.field() + "': " + plain(value) + " is out of range for "
        + register.location() + " (" + typeRange + range + ")");
  }

  /** The smallest (or largest) value a register can hold; a negative scale swaps the ends. */
  private static double bound(RegisterSpec register, long minRaw, long maxRaw, boolean lower) {
    double a = scaled(register, BigDecimal.valueOf(minRaw));
    double b = scaled(register, BigDecimal.valueOf(maxRaw));
    return lower ? Math.min(a, b) : Math.max(a, b);
  }

  private static String plain(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
