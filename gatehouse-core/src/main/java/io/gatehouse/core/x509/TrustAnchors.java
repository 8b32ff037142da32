package io.gatehouse.core.x509;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS trust in exactly the given CA certificates and nothing else (not the JDK's default roots), as
 * a device trusts its gateway and a gateway's clients trust its development CA: one place for the
 * key store, trust manager and SSL context every client of Gatehouse builds.
 */
public final class TrustAnchors {
  private TrustAnchors() {}

  /** Trust managers for the certificates in the PEM file {@code caPem} (one or more CAs). */
  public static TrustManagerFactory trustManagers(Path caPem) {
    return trustManagers(Pem.certificates(read(caPem), caPem.toString()), caPem.toString());
  }

  /** A TLS client context trusting the certificates in the PEM file {@code caPem}. */
  public static SSLContext sslContext(Path caPem) {
    return sslContext(trustManagers(caPem), caPem.toString());
  }

  /** A TLS client context trusting {@code anchors}; {@code source} names them in messages. */
  public static SSLContext sslContext(List<X509Certificate> anchors, String source) {
    return sslContext(trustManagers(anchors, source), source);
  }

  /** Trust managers for {@code anchors}; {@code source} names them in messages. */
  public static TrustManagerFactory trustManagers(List<X509Certificate> anchors, String source) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < anchors.size(); i++) {
        store.setCertificateEntry("ca-" + i, anchors.get(i));
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory;
    } catch (GeneralSecurityException | IOException e) {
      throw new KeyMaterialException("cannot trust the CA certificates of " + source + ": " + e.getMessage(), e);
    }
  }

  /** A TLS client context trusting what {@code trust} trusts; {@code source} names it in messages. */
  public static SSLContext sslContext(TrustManagerFactory trust, String source) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new KeyMaterialException("cannot set up TLS trusting " + source + ": " + e.getMessage(), e);
    }
  }

  private static String read(Path caPem) {
    try {
      return Files.readString(caPem);
    } catch (NoSuchFileException e) {
      throw new KeyMaterialException("the CA certificate file " + caPem + " does not exist", e);
    } catch (IOException e) {
      throw new KeyMaterialException("cannot read the CA certificate file " + caPem + ": " + e.getMessage(), e);
    }
  }
}
