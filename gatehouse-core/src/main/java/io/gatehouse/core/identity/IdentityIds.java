package io.gatehouse.core.identity;

import io.gatehouse.core.error.InvalidInputException;

/**
 * Identity ids follow Azure IoT Hub's rules, so ids that work there work here: 1 to 128 characters
 * of ASCII letters, digits and {@code - . % _ * ? ! ( ) , : = @ $ '}. Ids are case-sensitive.
 */
public final class IdentityIds {
  public static final int MAX_LENGTH = 128;
  private static final String ALLOWED_PUNCTUATION = "-.%_*?!(),:=@$'";

  private IdentityIds() {}

  /** Returns {@code id} if valid, else throws with the exact rule it breaks. */
  public static String requireValid(String what, String id) {
    if (id == null || id.isEmpty()) {
      throw new InvalidInputException(what + " is missing; it must be 1 to " + MAX_LENGTH + " characters");
    }
    if (id.length() > MAX_LENGTH) {
      throw new InvalidInputException(
          what + " is " + id.length() + " characters long; at most " + MAX_LENGTH + " are allowed");
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!isAllowed(c)) {
        throw new InvalidInputException(what + " contains " + describe(c) + " at position " + (i + 1)
            + "; allowed are ASCII letters, digits and " + ALLOWED_PUNCTUATION);
      }
    }
    return id;
  }

  public static boolean isValid(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      if (!isAllowed(id.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAllowed(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || ALLOWED_PUNCTUATION.indexOf(c) >= 0;
  }

  private static String describe(char c) {
    if (c >= 0x21 && c < 0x7f) {
      return "'" + c + "'";
    }
    return String.format("the character U+%04X", (int) c);
  }
}
