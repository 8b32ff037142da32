package io.gatehouse.core.sas;

import io.gatehouse.core.error.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Azure-style connection strings: {@code HostName=…;DeviceId=…;SharedAccessKey=…} for devices and
 * {@code HostName=…;SharedAccessKeyName=…;SharedAccessKey=…} for services. Keys match
 * case-insensitively; values split at the first {@code =} only, as base64 keys end in {@code =}.
 */
public record ConnectionString(Map<String, String> fields) {
  private static final String[] KNOWN = {
    "HostName", "DeviceId", "ModuleId", "SharedAccessKeyName", "SharedAccessKey", "SharedAccessSignature",
    "GatewayHostName", "x509"
  };

  public ConnectionString {
    fields = Map.copyOf(fields);
  }

  public static ConnectionString parse(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidInputException("connection string is empty");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (String part : text.trim().split(";")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq <= 0) {
        // Never echo the part: a misplaced ';' can cut a key in two, and the piece is a secret.
        throw new InvalidInputException("connection string has a part that is not of the form Key=Value");
      }
      String key = canonical(part.substring(0, eq).trim());
      if (fields.put(key, part.substring(eq + 1).trim()) != null) {
        throw new InvalidInputException("connection string names " + key + " twice");
      }
    }
    if (!fields.containsKey("HostName")) {
      throw new InvalidInputException("connection string has no HostName");
    }
    return new ConnectionString(fields);
  }

  public static ConnectionString forDevice(String hostName, String deviceId, String key) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("HostName", hostName);
    f.put("DeviceId", deviceId);
    f.put("SharedAccessKey", key);
    return new ConnectionString(f);
  }

  public static ConnectionString forService(String hostName, String name, String key) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("HostName", hostName);
    f.put("SharedAccessKeyName", name);
    f.put("SharedAccessKey", key);
    return new ConnectionString(f);
  }

  public String hostName() {
    return fields.get("HostName");
  }

  public Optional<String> get(String key) {
    return Optional.ofNullable(fields.get(canonical(key)));
  }

  public String require(String key) {
    return get(key).orElseThrow(() -> new InvalidInputException("connection string has no " + canonical(key)));
  }

  /** Renders in a stable order; this string contains the key, so never log it. */
  public String render() {
    StringBuilder out = new StringBuilder();
    for (String key : KNOWN) {
      String value = fields.get(key);
      if (value != null) {
        out.append(out.isEmpty() ? "" : ";").append(key).append('=').append(value);
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return "ConnectionString[HostName=" + hostName() + ", redacted]";
  }

  private static String canonical(String key) {
    for (String known : KNOWN) {
      if (known.toLowerCase(Locale.ROOT).equals(key.toLowerCase(Locale.ROOT))) {
        return known;
      }
    }
    // Echo the name only if it looks like one: text after a stray ';' may be part of a key.
    String shown = key.matches("[A-Za-z][A-Za-z0-9]{0,31}") ? "'" + key + "'" : "(not shown)";
    throw new InvalidInputException("connection string has an unknown key " + shown + "; known keys: "
        + String.join(", ", KNOWN));
  }
}
