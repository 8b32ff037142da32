package io.gatehouse.core.identity;

import io.gatehouse.core.error.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Parses the lower-case wire names of enums with an error that lists the accepted values. */
public final class WireEnums {
  private WireEnums() {}

  public static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
    if (value != null) {
      for (E constant : type.getEnumConstants()) {
        if (constant.name().toLowerCase(Locale.ROOT).replace('_', '.').equals(value)) {
          return constant;
        }
      }
    }
    String accepted = Arrays.stream(type.getEnumConstants())
        .map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '.'))
        .collect(Collectors.joining(", "));
    throw new InvalidInputException(
        field + " '" + value + "' is not known; use one of: " + accepted);
  }
}
