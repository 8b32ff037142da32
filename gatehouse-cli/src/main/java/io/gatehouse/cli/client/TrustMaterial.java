package io.gatehouse.cli.client;

import io.gatehouse.cli.CliException;
import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.x509.Certificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The TLS trust of the client: only the certificates of a CA PEM file, or the JDK's defaults. */
public final class TrustMaterial {
  private TrustMaterial() {}

  /** An SSLContext that trusts exactly the certificates in {@code caFile}, or the JDK default one. */
  public static SSLContext sslContext(Optional<Path> caFile) {
    try {
      if (caFile.isEmpty()) {
        return SSLContext.getDefault();
      }
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      List<X509Certificate> certificates = readPem(caFile.get());
      for (int i = 0; i < certificates.size(); i++) {
        anchors.setCertificateEntry("ca-" + i, certificates.get(i));
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(anchors);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
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
