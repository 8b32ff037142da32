package io.gatehouse.core.identity;

import io.gatehouse.core.error.InvalidInputException;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Tags are short key/value labels used to group devices and to scope permissions. */
public final class Tags {
  public static final int MAX_TAGS = 32;
  public static final int MAX_KEY_LENGTH = 64;
  public static final int MAX_VALUE_LENGTH = 256;
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  private Tags() {}

  /** An immutable, sorted, validated copy; {@code null} becomes empty. */
  public static Map<String, String> copyValid(Map<String, String> tags) {
    if (tags == null || tags.isEmpty()) {
      return Map.of();
    }
    if (tags.size() > MAX_TAGS) {
      throw new InvalidInputException("at most " + MAX_TAGS + " tags are allowed, got " + tags.size());
    }
    TreeMap<String, String> sorted = new TreeMap<>();
    tags.forEach((key, value) -> {
      requireKey(key);
      if (value == null) {
        throw new InvalidInputException("tag '" + key + "' has no value");
      }
      if (value.length() > MAX_VALUE_LENGTH || value.chars().anyMatch(Character::isISOControl)) {
        throw new InvalidInputException("tag '" + key + "' must be at most " + MAX_VALUE_LENGTH
            + " characters without control characters");
      }
      sorted.put(key, value);
    });
    return java.util.Collections.unmodifiableMap(sorted);
  }

  public static String requireKey(String key) {
    if (key == null || key.length() > MAX_KEY_LENGTH || !KEY.matcher(key).matches()) {
      throw new InvalidInputException("tag key '" + key + "' must be 1 to " + MAX_KEY_LENGTH
          + " characters of letters, digits, '_', '.', '-', starting with a letter or digit");
    }
    return key;
  }
}
