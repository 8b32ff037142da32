package io.gatehouse.server.api;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.message.InboxMessage;
import io.gatehouse.core.message.MessageProperties;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Message properties as the Azure IoT Hub HTTPS device protocol carries them: {@code iothub-app-{name}}
 * for application properties and {@code iothub-messageid}, {@code iothub-correlationid},
 * {@code iothub-userid}, {@code iothub-contenttype}, {@code iothub-contentencoding} for system
 * properties, as request headers of a single message, as the {@code properties} of a batch element,
 * and as response headers of a cloud-to-device message. Names compare case-insensitively (they are
 * HTTP header names); application property names keep the case they were sent in.
 */
final class DeviceMessageHeaders {
  static final String APP_PREFIX = "iothub-app-";
  private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";

  private DeviceMessageHeaders() {}

  /** Collects properties one name at a time; anything named twice is refused. */
  static final class Collector {
    private final Map<String, String> system = new LinkedHashMap<>();
    private final Map<String, String> application = new LinkedHashMap<>();
    private final Set<String> seen = new HashSet<>();

    /**
     * @param name a header name or batch property key; names that are neither {@code iothub-app-*}
     *     nor a kept system property ({@code iothub-to}, {@code iothub-creation-time-utc}, other
     *     headers) are ignored
     */
    Collector add(String name, String value) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.startsWith(APP_PREFIX)) {
        String key = name.substring(APP_PREFIX.length());
        if (key.isEmpty()) {
          throw new InvalidInputException("property '" + name + "' has no name after '" + APP_PREFIX + "'");
        }
        once(lower, name);
        application.put(key, value);
        return this;
      }
      switch (lower) {
        case "iothub-messageid", "iothub-correlationid", "iothub-userid", "iothub-contenttype",
            "iothub-contentencoding" -> {
          once(lower, name);
          system.put(lower, value);
        }
        default -> {
          // routing metadata (iothub-to, iothub-creation-time-utc, iothub-interface-id) and transport headers
        }
      }
      return this;
    }

    /** @throws InvalidInputException if an id is too long or there are too many application properties */
    MessageProperties properties() {
      return new MessageProperties(system.get("iothub-messageid"), system.get("iothub-correlationid"),
          system.get("iothub-userid"), system.get("iothub-contenttype"), system.get("iothub-contentencoding"),
          application);
    }

    private void once(String lower, String name) {
      if (!seen.add(lower)) {
        throw new InvalidInputException("property '" + name + "' is given more than once");
      }
    }
  }

  /** The properties of a single device-to-cloud message, from its request headers. */
  static MessageProperties fromHeaders(Iterable<Map.Entry<String, String>> headers) {
    Collector collector = new Collector();
    for (Map.Entry<String, String> header : headers) {
      if (header.getKey().regionMatches(true, 0, "iothub-", 0, 7)) {
        collector.add(header.getKey(), fromHeaderValue(header.getValue()));
      }
    }
    return collector.properties();
  }

  /**
   * The response headers of a locked cloud-to-device message: {@code ETag} (the quoted lock
   * token), its system and application properties, and the hub's reserved properties. Content type
   * and encoding go out under both names, as the Java SDK reads {@code iothub-contenttype} and the
   * C SDK {@code ContentType}.
   */
  static Map<String, String> toHeaders(InboxMessage message) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("ETag", "\"" + message.lockToken() + "\"");
    MessageProperties properties = message.properties();
    putIfPresent(headers, "iothub-messageid", properties.messageId());
    putIfPresent(headers, "iothub-correlationid", properties.correlationId());
    putIfPresent(headers, "iothub-userid", properties.userId());
    headers.put("iothub-to", toHeaderValue("/devices/" + message.deviceId() + "/messages/deviceBound"));
    putIfPresent(headers, "iothub-contenttype", properties.contentType());
    putIfPresent(headers, "ContentType", properties.contentType());
    putIfPresent(headers, "iothub-contentencoding", properties.contentEncoding());
    putIfPresent(headers, "ContentEncoding", properties.contentEncoding());
    headers.put("iothub-sequencenumber", Long.toString(message.sequence()));
    headers.put("iothub-enqueuedtime", message.enqueuedAt().toString());
    headers.put("iothub-expiry", message.expiresAt().toString());
    headers.put("iothub-deliverycount", Integer.toString(message.deliveryCount()));
    headers.put("iothub-ack", message.ack().wireName());
    properties.application().forEach((name, value) ->
        headers.put(APP_PREFIX + toHeaderName(name), toHeaderValue(value == null ? "" : value)));
    return headers;
  }

  private static void putIfPresent(Map<String, String> headers, String name, String value) {
    if (value != null) {
      headers.put(name, toHeaderValue(value));
    }
  }

  /**
   * HTTP carries header text as bytes that the server reads as ISO-8859-1; a client that sent
   * UTF-8 gets its text back, anything else is kept as read.
   */
  static String fromHeaderValue(String value) {
    boolean ascii = value.chars().allMatch(c -> c < 0x80);
    if (ascii) {
      return value;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value.getBytes(StandardCharsets.ISO_8859_1))).toString();
    } catch (CharacterCodingException e) {
      return value;
    }
  }

  /**
   * Azure allows only ASCII letters, digits and {@code !#$%&'*+-.^_`|~} in property names sent to
   * devices; names with other characters (which a service may send through this gateway) have those
   * characters percent-encoded as UTF-8, so the header stays valid and the message deliverable.
   */
  static String toHeaderName(String name) {
    return percentEncode(name, c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || TCHAR_SYMBOLS.indexOf(c) >= 0);
  }

  /** Visible ASCII and space pass; control and non-ASCII characters are percent-encoded as UTF-8. */
  static String toHeaderValue(String value) {
    return percentEncode(value, c -> c >= 0x20 && c < 0x7f);
  }

  private static String percentEncode(String text, java.util.function.IntPredicate keep) {
    if (text.chars().allMatch(keep)) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    text.codePoints().forEach(cp -> {
      if (cp < 0x80 && keep.test(cp)) {
        out.append((char) cp);
      } else {
        for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
          out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
              .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
        }
      }
    });
    return out.toString();
  }
}
