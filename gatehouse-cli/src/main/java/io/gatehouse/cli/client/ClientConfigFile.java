package io.gatehouse.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.cli.CliException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code DIR/cli.json}, written by {@code gatehouse serve}:
 * {@code {"url":"https://localhost:8443","hostName":"localhost","caFile":"/abs/ca.pem"}}. Unknown
 * fields are ignored so serve can add more.
 */
public record ClientConfigFile(Path file, Optional<String> url, Optional<String> hostName, Optional<Path> caFile) {
  public static final String NAME = "cli.json";

  /** Reads {@code dir/cli.json}; empty when it does not exist. */
  public static Optional<ClientConfigFile> read(Path dir, ObjectMapper json) {
    Path file = dir.resolve(NAME);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    JsonNode root;
    try {
      root = json.readTree(Files.readString(file));
    } catch (IOException e) {
      throw CliException.usage("cannot read " + file.toAbsolutePath() + ": " + e.getMessage()
          + ". Restart `gatehouse serve` to rewrite it, or pass --url and --ca.", e);
    }
    if (root == null || !root.isObject()) {
      throw CliException.usage(file.toAbsolutePath() + " is not a JSON object. Restart `gatehouse serve` "
          + "to rewrite it, or pass --url and --ca.");
    }
    Optional<Path> ca = text(root, "caFile").map(Path::of)
        .map(p -> p.isAbsolute() ? p : dir.resolve(p));
    return Optional.of(new ClientConfigFile(file, text(root, "url"), text(root, "hostName"), ca));
  }

  private static Optional<String> text(JsonNode root, String field) {
    JsonNode value = root.get(field);
    return value == null || !value.isTextual() || value.asText().isBlank()
        ? Optional.empty() : Optional.of(value.asText().trim());
  }
}
