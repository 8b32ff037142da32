package io.gatehouse.cli.client;

import io.gatehouse.cli.CliException;
import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.x509.Certificates;
import io.gatehouse.core.x509.KeyMaterialException;
import io.gatehouse.core.x509.TrustAnchors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/** The TLS trust of the client: only the certificates of a CA PEM file, or the JDK's defaults. */
public final class TrustMaterial {
  private TrustMaterial() {}

  /** An SSLContext that trusts exactly the certificates in {@code caFile}, or the JDK default one. */
  public static SSLContext sslContext(Optional<Path> caFile) {
    try {
      if (caFile.isEmpty()) {
        return SSLContext.getDefault();
      }
      return TrustAnchors.sslContext(readPem(caFile.get()), caFile.get().toString());
    } catch (GeneralSecurityException | KeyMaterialException e) {
      throw CliException.usage("cannot set up TLS trust from " + caFile.map(Path::toString).orElse("the JDK")
          + ": " + e.getMessage(), e);
    }
  }

  private static List<X509Certificate> readPem(Path file) {
    String pem;
    try {
      pem = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw CliException.usage("the CA file " + file + " does not exist; pass --ca with the gateway's ca.pem", e);
    } catch (IOException e) {
      throw CliException.usage("cannot read the CA file " + file + ": " + e.getMessage(), e);
    }
    try {
      return Certificates.parsePem(pem);
    } catch (InvalidInputException e) {
      throw CliException.usage("the CA file " + file + " is not usable: " + e.getMessage(), e);
    }
  }
}
