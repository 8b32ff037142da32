package io.gatehouse.core.provisioning;

import io.gatehouse.core.error.InvalidInputException;
import java.util.Locale;

/**
 * DPS registration ids: 1 to 128 ASCII letters, digits and {@code : . _ -}, compared
 * case-insensitively (so {@code Sensor-1} and {@code sensor-1} are one registration). Every valid
 * registration id is also a valid device id, which is why a registration id can serve as the
 * default device id.
 */
public final class RegistrationIds {
  public static final int MAX_LENGTH = 128;
  private static final String PUNCTUATION = ":._-";

  private RegistrationIds() {}

  public static String requireValid(String id) {
    if (id == null || id.isEmpty()) {
      throw new InvalidInputException("registration id is missing; it must be 1 to " + MAX_LENGTH + " characters");
    }
    if (id.length() > MAX_LENGTH) {
      throw new InvalidInputException("registration id is " + id.length() + " characters long; at most "
          + MAX_LENGTH + " are allowed");
    }
    for (int i = 0; i < id.length(); i++) {
      if (!allowed(id.charAt(i))) {
        throw new InvalidInputException("registration id contains "
            + (id.charAt(i) > 0x20 && id.charAt(i) < 0x7f ? "'" + id.charAt(i) + "'" : String.format("U+%04X", (int) id.charAt(i)))
            + " at position " + (i + 1) + "; allowed are ASCII letters, digits and " + PUNCTUATION);
      }
    }
    return id;
  }

  public static boolean isValid(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    return id.chars().allMatch(c -> allowed((char) c));
  }

  /** The form records are keyed by: registration ids compare case-insensitively. */
  public static String normalise(String id) {
    return requireValid(id).toLowerCase(Locale.ROOT);
  }

  private static boolean allowed(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || PUNCTUATION.indexOf(c) >= 0;
  }
}
