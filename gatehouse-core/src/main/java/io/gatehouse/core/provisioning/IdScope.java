package io.gatehouse.core.provisioning;

import io.gatehouse.core.error.InvalidInputException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * The ID scope of one installation's provisioning service, shaped like Azure DPS's ({@code 0ne}
 * and eight upper-case hex digits): devices name it in every provisioning path and SAS audience.
 * It is not a secret; it tells installations apart, so a token made for one is refused by another.
 */
public record IdScope(String value) {
  private static final Pattern FORMAT = Pattern.compile("0ne[0-9A-F]{8}");

  public IdScope {
    if (value == null || !FORMAT.matcher(value).matches()) {
      throw new InvalidInputException("ID scope '" + value + "' is not of the form 0ne followed by 8 hex digits");
    }
  }

  public static IdScope generate(RandomGenerator random) {
    byte[] bytes = new byte[4];
    random.nextBytes(bytes);
    return new IdScope("0ne" + HexFormat.of().formatHex(bytes).toUpperCase(Locale.ROOT));
  }

  /** Whether {@code candidate} names this scope; devices may send it in any case. */
  public boolean matches(String candidate) {
    return candidate != null && candidate.equalsIgnoreCase(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
