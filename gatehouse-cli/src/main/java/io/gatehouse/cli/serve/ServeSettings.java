package io.gatehouse.cli.serve;

import io.gatehouse.core.error.InvalidInputException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Resolves one setting of {@code serve}: the flag if given, else {@code GATEHOUSE_<NAME>} from the
 * environment, else the config file's {@code name=value}, else the default.
 */
final class ServeSettings {
  static final Set<String> KNOWN = Set.of("data", "hostname", "https-port", "mqtt-port", "bind", "tls-cert",
      "tls-key", "max-body-bytes", "tpm-roots");

  private final Map<String, String> env;
  private final Properties file;

  private ServeSettings(Map<String, String> env, Properties file) {
    this.env = env;
    this.file = file;
  }

  static ServeSettings load(Map<String, String> env, Path configFile) {
    Properties file = new Properties();
    Path path = configFile != null ? configFile
        : Optional.ofNullable(env.get("GATEHOUSE_CONFIG")).map(Path::of).orElse(null);
    if (path != null) {
      try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
        file.load(in);
      } catch (IOException e) {
        throw new InvalidInputException("cannot read the config file " + path + ": " + e.getMessage());
      }
      for (String key : file.stringPropertyNames()) {
        if (!KNOWN.contains(key)) {
          throw new InvalidInputException("config file " + path + " has an unknown setting '" + key
              + "'; known settings: " + new java.util.TreeSet<>(KNOWN));
        }
      }
    }
    return new ServeSettings(env, file);
  }

  String string(String name, String flag, String fallback) {
    if (flag != null) {
      return flag;
    }
    String fromEnv = env.get("GATEHOUSE_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.trim();
    }
    String fromFile = file.getProperty(name);
    return fromFile != null ? fromFile.trim() : fallback;
  }

  int integer(String name, Integer flag, int fallback) {
    String value = string(name, flag == null ? null : flag.toString(), Integer.toString(fallback));
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new InvalidInputException(name + " must be a whole number, got '" + value + "'");
    }
  }
}
