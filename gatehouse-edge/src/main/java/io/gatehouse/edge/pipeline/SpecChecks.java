package io.gatehouse.edge.pipeline;

import io.gatehouse.core.error.InvalidInputException;
import java.util.Collection;
import java.util.List;

/** The checks config records share; each failure names the stage and property and says what is expected. */
final class SpecChecks {
  private SpecChecks() {}

  static <T> T require(String stage, String property, T value, String expected) {
    if (value == null) {
      throw new IllegalArgumentException(stage + ": '" + property + "' is required; " + expected);
    }
    return value;
  }

  static String fieldName(String stage, String property, String name) {
    require(stage, property, name, "give a reading field name, e.g. temperature");
    try {
      return Reading.requireValidFieldName(name);
    } catch (InvalidInputException e) {
      throw new IllegalArgumentException(stage + ": '" + property + "': " + e.getMessage());
    }
  }

  static List<String> fieldNames(String stage, String property, Collection<String> names) {
    return names == null ? List.of() : List.copyOf(names.stream().map(name -> fieldName(stage, property, name)).toList());
  }

  static long inRange(String stage, String property, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(stage + ": '" + property + "' is " + value + "; it must be between " + min + " and " + max);
    }
    return value;
  }

  static double positive(String stage, String property, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(stage + ": '" + property + "' is " + value + "; it must be a positive number");
    }
    return value;
  }
}
