package io.gatehouse.server.tls;

import io.gatehouse.core.x509.KeyMaterialException;
import io.gatehouse.core.x509.KeyPairs;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The server's private key and certificate chain (leaf first), wherever they came from.
 *
 * @param origin a human-readable description of where the material was loaded from, for logs
 */
public record TlsMaterial(PrivateKey privateKey, List<X509Certificate> certificateChain, String origin) {
  public TlsMaterial {
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(origin, "origin");
    certificateChain = List.copyOf(certificateChain);
    if (certificateChain.isEmpty()) {
      throw new IllegalArgumentException("the certificate chain is empty");
    }
  }

  /**
   * Loads an operator-supplied certificate chain and private key (e.g. {@code --tls-cert} and
   * {@code --tls-key}). The key may be PKCS#8 ({@code BEGIN PRIVATE KEY}), SEC1
   * ({@code BEGIN EC PRIVATE KEY}) or PKCS#1 ({@code BEGIN RSA PRIVATE KEY}); both may live in one
   * file. Refuses, with a message saying why, a key that does not belong to the first certificate.
   */
  public static TlsMaterial fromPemFiles(Path certificateFile, Path keyFile) {
    List<X509Certificate> chain = PemFiles.readCertificates(certificateFile);
    PrivateKey key = PemFiles.readPrivateKey(keyFile);
    try {
      KeyPairs.requireMatch(key, chain, keyFile.toString(), certificateFile.toString(), "server");
    } catch (KeyMaterialException e) {
      throw new TlsConfigurationException(e.getMessage(), e);
    }
    return new TlsMaterial(key, chain, "certificate " + certificateFile + ", key " + keyFile);
  }

  /** The server's own certificate: the first of the chain. */
  public X509Certificate certificate() {
    return certificateChain.get(0);
  }

  /** Never prints the key: some JDK key classes put the private exponent in their toString. */
  @Override
  public String toString() {
    return "TlsMaterial[subject=" + certificate().getSubjectX500Principal().getName() + ", chain="
        + certificateChain.size() + " certificate(s), key=" + privateKey.getAlgorithm() + ", origin=" + origin + "]";
  }
}
