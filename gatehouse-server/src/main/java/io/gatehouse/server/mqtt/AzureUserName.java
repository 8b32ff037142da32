package io.gatehouse.server.mqtt;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The MQTT user name Azure IoT device SDKs send: {@code {hostName}/{deviceId}/?api-version={v}}
 * followed by optional parameters ({@code model-id}, {@code DeviceClientType}, …); modules add a
 * {@code /{moduleId}} segment. Parsed leniently, as edgeHub does: the query is the last segment
 * that starts with {@code ?} or contains {@code api-version=}, unknown parameters are ignored, and
 * only {@code api-version} is required.
 *
 * @param moduleId {@code null} for a device
 * @param parameters the query parameters, raw (not decoded: nothing here is acted upon yet)
 */
record AzureUserName(String hostName, String deviceId, String moduleId, String apiVersion,
    Map<String, String> parameters) {

  /** Returns the parsed name, or empty if it does not have the Azure form. */
  static Optional<AzureUserName> parse(String userName) {
    if (userName == null) {
      return Optional.empty();
    }
    String[] segments = userName.split("/", -1);
    int query = -1;
    for (int i = segments.length - 1; i >= 0; i--) {
      if (segments[i].startsWith("?") || segments[i].contains("api-version=")) {
        query = i;
        break;
      }
    }
    // host / device [/ module] / ?query — anything after the query segment is tolerated and ignored.
    if (query < 2 || query > 3) {
      return Optional.empty();
    }
    Map<String, String> parameters = parameters(String.join("/", java.util.Arrays.copyOfRange(segments, query,
        segments.length)));
    String apiVersion = parameters.get("api-version");
    if (apiVersion == null || apiVersion.isEmpty() || segments[0].isEmpty() || segments[1].isEmpty()) {
      return Optional.empty();
    }
    String module = query == 3 ? segments[2] : null;
    return Optional.of(new AzureUserName(segments[0], segments[1], module, apiVersion, parameters));
  }

  private static Map<String, String> parameters(String query) {
    String text = query.startsWith("?") ? query.substring(1) : query;
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      parameters.putIfAbsent(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
    }
    return Map.copyOf(parameters);
  }
}
