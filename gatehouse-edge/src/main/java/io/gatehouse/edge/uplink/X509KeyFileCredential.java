package io.gatehouse.edge.uplink;

import io.gatehouse.core.x509.Certificates;
import io.gatehouse.core.x509.KeyPairs;
import io.gatehouse.core.x509.Pem;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's X.509 client certificate and private key, read from PEM files. Both files are read
 * again for every connection, so a renewed certificate (and key) written over the old files is
 * used from the next reconnect on, without a restart; the service gateway ends a session when the
 * certificate that opened it expires, which is that reconnect at the latest. The key sits on disk,
 * so this source names itself as insecure: a TPM-held key is the production choice.
 */
public final class X509KeyFileCredential implements CredentialSource {
  private static final Logger LOG = LoggerFactory.getLogger(X509KeyFileCredential.class);

  private final String hostName;
  private final String edgeId;
  private final Path certificateFile;
  private final Path keyFile;

  private X509KeyFileCredential(String hostName, String edgeId, Path certificateFile, Path keyFile) {
    this.hostName = Objects.requireNonNull(hostName, "hostName");
    this.edgeId = Objects.requireNonNull(edgeId, "edgeId");
    this.certificateFile = Objects.requireNonNull(certificateFile, "certificateFile");
    this.keyFile = Objects.requireNonNull(keyFile, "keyFile");
  }

  /**
   * Checks the files once now, so that a mistake stops the edge at start with its reason rather
   * than in a reconnect loop: both readable, the key file mode 0600, the key the certificate's, the
   * certificate valid at {@code now}.
   *
   * @throws IllegalArgumentException or {@link java.io.UncheckedIOException} saying which file is wrong and how
   */
  public static X509KeyFileCredential fromFiles(String hostName, String edgeId, Path certificateFile, Path keyFile,
      Instant now) {
    X509KeyFileCredential source = new X509KeyFileCredential(hostName, edgeId, certificateFile, keyFile);
    UplinkCredential.ClientCertificate first = source.credential(now);
    String commonName = Certificates.commonName(first.certificate());
    if (!edgeId.equals(commonName)) {
      // A thumbprint-registered edge may use any subject; a CA-signed one must be named after the edge.
      LOG.warn("uplink certificate {} has subject CN '{}', not the edge id '{}': the service gateway accepts it only "
          + "if this edge is registered by thumbprint (a CA-signed edge's CN must be its id)", certificateFile,
          commonName, edgeId);
    }
    return source;
  }

  @Override
  public UplinkCredential.ClientCertificate credential(Instant now) {
    List<X509Certificate> chain = Pem.certificates(OwnerOnlyFiles.readPublic(certificateFile, "certificate file"),
        certificateFile.toString());
    PrivateKey key = Pem.privateKey(OwnerOnlyFiles.read(keyFile, "private key file"), keyFile.toString());
    KeyPairs.requireMatch(key, chain, keyFile.toString(), certificateFile.toString(), "client");
    X509Certificate certificate = chain.getFirst();
    if (now.isAfter(certificate.getNotAfter().toInstant())) {
      throw new IllegalArgumentException("the certificate in " + certificateFile + " ("
          + certificate.getSubjectX500Principal().getName() + ") expired at " + certificate.getNotAfter().toInstant()
          + "; put a renewed certificate and key in its place (the edge reads both files at every connection)");
    }
    if (now.isBefore(certificate.getNotBefore().toInstant())) {
      throw new IllegalArgumentException("the certificate in " + certificateFile + " ("
          + certificate.getSubjectX500Principal().getName() + ") is not valid before "
          + certificate.getNotBefore().toInstant() + "; check this machine's clock");
    }
    return new UplinkCredential.ClientCertificate(AzureUserName.of(hostName, edgeId), chain, key);
  }

  @Override
  public String kind() {
    return "x509-key-file (insecure: key on disk)";
  }
}
