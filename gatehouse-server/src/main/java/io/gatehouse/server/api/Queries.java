package io.gatehouse.server.api;

import io.gatehouse.core.error.InvalidInputException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Parses query parameters shared by several routes, with errors that say what to send. */
final class Queries {
  private Queries() {}

  /** A sequence number, 1 or more. */
  static long sequence(String name, String value) {
    try {
      long sequence = Long.parseLong(value.trim());
      if (sequence < 1) {
        throw new InvalidInputException(name + " must be 1 or more");
      }
      return sequence;
    } catch (NumberFormatException e) {
      throw new InvalidInputException(name + " must be a sequence number");
    }
  }

  /** An ISO-8601 time with a zone: {@code 2025-01-31T12:00:00Z} or {@code …+01:00}. */
  static Instant time(String name, String value) {
    try {
      return Instant.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new InvalidInputException(name + " must be an ISO-8601 time with a zone, e.g. 2025-01-31T12:00:00Z"
          + (value.contains(" ") ? " (a '+' in a query string must be sent as %2B)" : ""));
    }
  }
}
