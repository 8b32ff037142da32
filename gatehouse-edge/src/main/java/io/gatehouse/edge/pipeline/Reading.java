package io.gatehouse.edge.pipeline;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.identity.IdentityIds;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One reading of a leaf device: who sent it, when, and flat named values. A value is a {@link Double},
 * {@link Boolean} or {@link String}; other {@link Number}s given in code are stored as {@link Double}.
 * Field order is kept so the uplink JSON reads like what the leaf sent.
 *
 * <p>Bounds, because leaves are untrusted and weak: at most {@value #MAX_FIELDS} fields, names of 1 to
 * {@value #MAX_FIELD_NAME_LENGTH} characters without control characters, strings of at most
 * {@value #MAX_STRING_LENGTH} characters, finite numbers. {@code ts} and {@code device} are reserved
 * because the uplink JSON adds them. Violations throw {@link InvalidInputException}.
 */
public record Reading(String deviceId, Instant time, Map<String, Object> fields) {
  public static final int MAX_FIELDS = 64;
  public static final int MAX_FIELD_NAME_LENGTH = 64;
  public static final int MAX_STRING_LENGTH = 256;
  public static final int MAX_PAYLOAD_BYTES = 16 * 1024;
  static final Set<String> RESERVED_NAMES = Set.of("ts", "device");

  public Reading {
    IdentityIds.requireValid("device id", deviceId);
    Objects.requireNonNull(time, "time");
    fields = validatedCopy(Objects.requireNonNull(fields, "fields"));
  }

  /**
   * Parses a leaf's payload: one flat JSON object whose values are numbers (stored as Double),
   * booleans or strings. Nested objects, arrays, nulls and oversized input are refused with an
   * {@link InvalidInputException} naming the field.
   */
  public static Reading fromJson(String deviceId, Instant time, byte[] payload) {
    return new Reading(deviceId, time, ReadingJson.parseFields(payload));
  }

  /** The fields as one flat JSON object, the shape {@link #fromJson} accepts. */
  public byte[] toJson() {
    return ReadingJson.renderFields(fields);
  }

  public Reading withFields(Map<String, Object> newFields) {
    return new Reading(deviceId, time, newFields);
  }

  public Reading withTime(Instant newTime) {
    return new Reading(deviceId, newTime, fields);
  }

  public Reading withDeviceId(String newDeviceId) {
    return new Reading(newDeviceId, time, fields);
  }

  /** Returns {@code name} if a reading may carry it, else throws with the rule it breaks; for config checks too. */
  public static String requireValidFieldName(String name) {
    if (name == null || name.isEmpty()) {
      throw new InvalidInputException("a field name is empty; names must be 1 to " + MAX_FIELD_NAME_LENGTH + " characters");
    }
    if (name.length() > MAX_FIELD_NAME_LENGTH) {
      throw new InvalidInputException("field name '" + name.substring(0, 16) + "…' is " + name.length()
          + " characters long; at most " + MAX_FIELD_NAME_LENGTH + " are allowed");
    }
    if (RESERVED_NAMES.contains(name)) {
      throw new InvalidInputException("field name '" + name + "' is reserved (the uplink adds 'ts' and 'device'); rename the field");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new InvalidInputException("field name '" + name.replaceAll("\\p{Cntrl}", "?")
            + "' contains a control character at position " + (i + 1) + "; use printable characters only");
      }
    }
    return name;
  }

  private static Map<String, Object> validatedCopy(Map<String, Object> fields) {
    if (fields.size() > MAX_FIELDS) {
      throw new InvalidInputException("a reading has " + fields.size() + " fields; at most " + MAX_FIELDS + " are allowed");
    }
    Map<String, Object> copy = new LinkedHashMap<>(fields.size() * 2);
    fields.forEach((name, value) -> copy.put(requireValidFieldName(name), validValue(name, value)));
    return Collections.unmodifiableMap(copy);
  }

  private static Object validValue(String name, Object value) {
    return switch (value) {
      case null -> throw new InvalidInputException("field '" + name + "' is null; send a number, boolean or string, or leave the field out");
      case Double d when !d.isInfinite() && !d.isNaN() -> d;
      case Number n when Double.isFinite(n.doubleValue()) && !(n instanceof Double) -> n.doubleValue();
      case Number n -> throw new InvalidInputException("field '" + name + "' is " + n + "; numbers must be finite");
      case Boolean b -> b;
      case String s when s.length() <= MAX_STRING_LENGTH -> s;
      case String s -> throw new InvalidInputException("field '" + name + "' holds a string of " + s.length()
          + " characters; at most " + MAX_STRING_LENGTH + " are allowed");
      default -> throw new InvalidInputException("field '" + name + "' holds a " + value.getClass().getSimpleName()
          + "; only numbers, booleans and strings are allowed");
    };
  }
}
