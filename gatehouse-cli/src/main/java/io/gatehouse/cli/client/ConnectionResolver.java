package io.gatehouse.cli.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.cli.CliException;
import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.sas.ConnectionString;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides the URL, credential and CA of a client command. Each setting comes from the first of:
 * its flag, its environment variable, the discovery files in the data directory that
 * {@code gatehouse serve} writes ({@code cli.json}, {@code operator.credential}).
 */
public final class ConnectionResolver {
  public static final String ENV_DATA = "GATEHOUSE_DATA";
  public static final String ENV_URL = "GATEHOUSE_URL";
  public static final String ENV_CREDENTIAL = "GATEHOUSE_CREDENTIAL";
  public static final String ENV_CA = "GATEHOUSE_CA";
  public static final String DEFAULT_DATA_DIR = "gatehouse-data";
  public static final String CREDENTIAL_FILE = "operator.credential";
  public static final int DEFAULT_PORT = 8443;

  /** Lower-case field names a credential may have; DeviceId only to say it is the wrong kind. */
  private static final Set<String> CREDENTIAL_FIELDS =
      Set.of("hostname", "sharedaccesskeyname", "sharedaccesskey", "sharedaccesssignature", "deviceid");

  private record Sourced(String value, String source) {}

  private final Map<String, String> env;
  private final ObjectMapper json = new ObjectMapper();

  public ConnectionResolver(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  public Connection resolve(Path dataFlag, String urlFlag, String credentialFlag, Path caFlag) {
    Path dir = (dataFlag != null ? dataFlag : env(ENV_DATA).map(Path::of).orElse(Path.of(DEFAULT_DATA_DIR)))
        .toAbsolutePath().normalize();
    Optional<ClientConfigFile> config = ClientConfigFile.read(dir, json);

    Sourced credentialText = credentialText(dir, credentialFlag)
        .orElseThrow(() -> CliException.usage(nothingFound(dir, config.isPresent())));
    ServiceCredential credential = parseCredential(credentialText.value(), credentialText.source());

    Sourced url = flagOrEnv(urlFlag, "--url", ENV_URL)
        .or(() -> config.flatMap(c -> c.url().map(u -> new Sourced(u, c.file().toString()))))
        .or(() -> config.flatMap(c -> c.hostName()
            .map(h -> new Sourced("https://" + h + ":" + DEFAULT_PORT, c.file() + " (hostName)"))))
        .orElseGet(() -> new Sourced("https://" + credential.hostName() + ":" + DEFAULT_PORT,
            "the HostName of the credential from " + credential.source()));

    Optional<Path> ca = flagOrEnv(caFlag == null ? null : caFlag.toString(), "--ca", ENV_CA)
        .map(s -> Path.of(s.value()))
        .or(() -> config.flatMap(ClientConfigFile::caFile));

    return new Connection(baseUrl(url), url.source(), credential, ca.map(p -> p.toAbsolutePath().normalize()));
  }

  /**
   * Parses a service connection string. Messages name {@code source} and the position of a bad
   * part, never its text: a key ending in {@code =} would otherwise be shown as a field name.
   */
  public static ServiceCredential parseCredential(String text, String source) {
    String expected = "; expected a service connection string HostName=…;SharedAccessKeyName=…;SharedAccessKey=…";
    String[] parts = text.trim().split(";");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].isBlank()) {
        continue;
      }
      int eq = parts[i].indexOf('=');
      String name = eq <= 0 ? null : parts[i].substring(0, eq).trim().toLowerCase(Locale.ROOT);
      if (name == null || !CREDENTIAL_FIELDS.contains(name)) {
        throw CliException.usage("the credential from " + source + " has an unknown field in part " + (i + 1)
            + " (allowed: HostName, SharedAccessKeyName, SharedAccessKey)" + expected);
      }
      if (!seen.add(name)) {
        throw CliException.usage("the credential from " + source + " names a field twice (part " + (i + 1) + ")"
            + expected);
      }
    }
    if (!seen.contains("hostname")) {
      throw CliException.usage("the credential from " + source + " has no HostName" + expected);
    }
    ConnectionString parsed;
    try {
      parsed = ConnectionString.parse(text);
    } catch (InvalidInputException e) {
      throw CliException.usage("the credential from " + source + " is not a connection string" + expected);
    }
    if (parsed.get("DeviceId").isPresent()) {
      throw CliException.usage("the credential from " + source + " is a device connection string (it has a "
          + "DeviceId)" + expected + ", such as operator.credential in the serve data directory");
    }
    String keyName = parsed.get("SharedAccessKeyName").filter(s -> !s.isBlank()).orElseThrow(() ->
        CliException.usage("the credential from " + source + " has no SharedAccessKeyName" + expected));
    String key = parsed.get("SharedAccessKey").filter(s -> !s.isBlank()).orElseThrow(() ->
        CliException.usage("the credential from " + source + " has no SharedAccessKey (the CLI signs "
            + "its own tokens, so a SharedAccessSignature alone is not enough)" + expected));
    byte[] keyBytes;
    try {
      keyBytes = Base64.getDecoder().decode(key);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("the SharedAccessKey of the credential from " + source + " is not base64");
    }
    return new ServiceCredential(parsed.hostName(), keyName, keyBytes, source);
  }

  private Optional<Sourced> credentialText(Path dir, String flag) {
    Optional<Sourced> given = flagOrEnv(flag, "--credential", ENV_CREDENTIAL);
    if (given.isPresent()) {
      String value = given.get().value();
      if (value.startsWith("@")) {
        Path file = Path.of(value.substring(1));
        return Optional.of(new Sourced(readSecretFile(file, given.get().source()),
            file.toAbsolutePath() + " (" + given.get().source() + ")"));
      }
      return given;
    }
    Path file = dir.resolve(CREDENTIAL_FILE);
    return Files.exists(file)
        ? Optional.of(new Sourced(readSecretFile(file, "the data directory"), file.toString()))
        : Optional.empty();
  }

  private static String readSecretFile(Path file, String source) {
    try {
      return Files.readString(file).trim();
    } catch (NoSuchFileException e) {
      throw CliException.usage("the credential file " + file.toAbsolutePath() + " (from " + source
          + ") does not exist", e);
    } catch (IOException e) {
      throw CliException.usage("cannot read the credential file " + file.toAbsolutePath() + " (from "
          + source + "): " + e.getMessage(), e);
    }
  }

  private Optional<Sourced> flagOrEnv(String flag, String flagName, String envName) {
    if (flag != null && !flag.isBlank()) {
      return Optional.of(new Sourced(flag.trim(), flagName));
    }
    return env(envName).map(v -> new Sourced(v, envName));
  }

  private Optional<String> env(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  private static URI baseUrl(Sourced url) {
    String hint = " (from " + url.source() + "); expected https://HOST:PORT, e.g. https://localhost:8443";
    URI uri;
    try {
      uri = new URI(url.value());
    } catch (URISyntaxException e) {
      throw CliException.usage("the gateway URL '" + url.value() + "' is not a URL" + hint, e);
    }
    if (uri.getScheme() == null || uri.getHost() == null) {
      throw CliException.usage("the gateway URL '" + url.value() + "' has no scheme or host" + hint);
    }
    if (!uri.getScheme().toLowerCase(Locale.ROOT).equals("https")) {
      throw CliException.usage("the gateway URL '" + url.value() + "' is not https; Gatehouse only "
          + "speaks TLS, and the credential must never travel in clear" + hint);
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw CliException.usage("the gateway URL '" + url.value() + "' must not have a query, fragment or user" + hint);
    }
    String text = uri.toString();
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    return URI.create(text);
  }

  private static String nothingFound(Path dir, boolean configFound) {
    String where = configFound
        ? dir.resolve(CREDENTIAL_FILE) + " does not exist"
        : dir + " has no " + ClientConfigFile.NAME + " or " + CREDENTIAL_FILE;
    return "no Gatehouse credential found: " + where + ". Run this command in the directory where "
        + "`gatehouse serve` was started, or pass --data DIR (the data directory of serve), or pass "
        + "--url URL and --credential CONNSTRING|@FILE (or set " + ENV_DATA + ", or " + ENV_URL
        + " and " + ENV_CREDENTIAL + ").";
  }
}
