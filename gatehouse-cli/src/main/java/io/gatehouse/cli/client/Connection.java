package io.gatehouse.cli.client;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the gateway is and how to talk to it, after flags, environment and discovery files were
 * combined.
 *
 * @param baseUrl {@code https://host:port} with no trailing slash
 * @param urlSource where the URL came from, e.g. {@code --url} or {@code /data/cli.json}
 * @param credential the service identity to sign requests with
 * @param caFile the PEM of the CA to trust; empty: the JDK's default trust store
 */
public record Connection(URI baseUrl, String urlSource, ServiceCredential credential, Optional<Path> caFile) {
  /** How the trust anchors are named in messages. */
  public String trustDescription() {
    return caFile.map(Path::toString).orElse("the JDK default trust store");
  }
}
