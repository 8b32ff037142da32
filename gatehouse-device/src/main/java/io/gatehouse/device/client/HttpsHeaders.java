package io.gatehouse.device.client;

import java.net.http.HttpHeaders;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Message properties as HTTPS headers, with the same names the MQTT transport uses so that an
 * application sees one API: {@code $.mid}, {@code $.cid}, {@code $.uid}, {@code $.ct}, {@code $.ce}
 * are the {@code iothub-messageid}, {@code -correlationid}, {@code -userid}, {@code -contenttype},
 * {@code -contentencoding} headers, {@code $.to} is {@code iothub-to}, and any other name is an
 * application property {@code iothub-app-{name}}.
 */
final class HttpsHeaders {
  static final String APP_PREFIX = "iothub-app-";
  private static final Map<String, String> SYSTEM = Map.of("$.mid", "iothub-messageid", "$.cid",
      "iothub-correlationid", "$.uid", "iothub-userid", "$.ct", "iothub-contenttype", "$.ce", "iothub-contentencoding",
      "$.to", "iothub-to");
  /** What only HTTPS carries; kept under the header's own name. */
  private static final Set<String> KEPT = Set.of("iothub-deliverycount", "iothub-sequencenumber",
      "iothub-enqueuedtime", "iothub-expiry", "iothub-ack");
  private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";

  private HttpsHeaders() {}

  /**
   * The request headers of one telemetry message.
   *
   * @throws IllegalArgumentException for a {@code $.} name without a header, or a name that cannot be a header
   */
  static Map<String, String> toHeaders(Map<String, String> properties) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> p : properties.entrySet()) {
      String name = p.getKey();
      String header;
      if (name.startsWith("$.")) {
        header = SYSTEM.get(name);
        if (header == null || name.equals("$.to")) {
          throw new IllegalArgumentException("system property '" + name + "' cannot be sent; use $.mid, $.cid, "
              + "$.uid, $.ct or $.ce");
        }
      } else {
        if (name.isEmpty() || !name.chars().allMatch(HttpsHeaders::tchar)) {
          throw new IllegalArgumentException("property name '" + name + "' cannot be an HTTP header name: use ASCII "
              + "letters, digits and " + TCHAR_SYMBOLS + " over HTTPS");
        }
        header = APP_PREFIX + name;
      }
      headers.put(header, headerValue(name, p.getValue()));
    }
    return headers;
  }

  /** The properties of a cloud-to-device message, from the response headers. */
  static Map<String, String> fromHeaders(HttpHeaders headers) {
    Map<String, String> properties = new LinkedHashMap<>();
    headers.map().forEach((name, values) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      // the gateway percent-encodes what is not visible ASCII and says so nowhere: kept as received, as Azure's SDKs do
      String value = values.getFirst();
      if (lower.startsWith(APP_PREFIX) && lower.length() > APP_PREFIX.length()) {
        properties.put(name.substring(APP_PREFIX.length()), value);
      } else if (KEPT.contains(lower)) {
        properties.put(lower, value);
      } else {
        SYSTEM.forEach((key, header) -> {
          if (header.equals(lower)) {
            properties.put(key, value);
          }
        });
      }
    });
    return properties;
  }

  /**
   * Visible ASCII, space and tab only. The JDK's HTTP client writes header text as US-ASCII, so
   * anything else would reach the gateway as '?': refused here rather than corrupted there.
   */
  private static String headerValue(String name, String value) {
    if (value == null) {
      return "";
    }
    if (!value.chars().allMatch(c -> (c >= 0x20 && c < 0x7f) || c == '\t')) {
      throw new IllegalArgumentException("the value of property '" + name + "' is not printable ASCII, which HTTPS "
          + "headers carry here; send it over MQTT, or encode it (e.g. percent-encoding) in the application");
    }
    return value;
  }

  private static boolean tchar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || TCHAR_SYMBOLS.indexOf(c) >= 0;
  }
}
