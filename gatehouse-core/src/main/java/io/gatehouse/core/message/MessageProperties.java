package io.gatehouse.core.message;

import io.gatehouse.core.error.InvalidInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The properties a message carries besides its payload: Azure's system properties (message id,
 * correlation id, user id, content type and encoding) and application properties (name → value,
 * value may be {@code null} for a bare name).
 */
public record MessageProperties(String messageId, String correlationId, String userId, String contentType,
    String contentEncoding, Map<String, String> application) {
  public static final int MAX_ID_LENGTH = 128;
  public static final int MAX_APPLICATION_PROPERTIES = 64;
  public static final MessageProperties NONE = new MessageProperties(null, null, null, null, null, Map.of());

  public MessageProperties {
    requireShort("message id", messageId);
    requireShort("correlation id", correlationId);
    requireShort("user id", userId);
    requireShort("content type", contentType);
    requireShort("content encoding", contentEncoding);
    if (application == null) {
      application = Map.of();
    } else {
      if (application.size() > MAX_APPLICATION_PROPERTIES) {
        throw new InvalidInputException("at most " + MAX_APPLICATION_PROPERTIES + " application properties, got "
            + application.size());
      }
      application = Collections.unmodifiableMap(new LinkedHashMap<>(application));
    }
  }

  /** Bytes these properties add to a message, counted against the message size limit as Azure does. */
  public int size() {
    // Called for every telemetry publish: summed field by field, without an array per call.
    int size = length(messageId) + length(correlationId) + length(userId) + length(contentType)
        + length(contentEncoding);
    for (Map.Entry<String, String> e : application.entrySet()) {
      size += e.getKey().length() + (e.getValue() == null ? 0 : e.getValue().length());
    }
    return size;
  }

  private static int length(String value) {
    return value == null ? 0 : value.length();
  }

  private static void requireShort(String what, String value) {
    if (value != null && value.length() > MAX_ID_LENGTH) {
      throw new InvalidInputException(what + " must be at most " + MAX_ID_LENGTH + " characters");
    }
  }
}
