package io.gatehouse.server.tls;

import io.gatehouse.core.x509.Certificates;
import io.gatehouse.core.x509.KeyPairs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A development PKI kept in a directory, so that Gatehouse serves HTTPS out of the box: a CA
 * ({@value #CA_CERTIFICATE}, {@value #CA_KEY}) created on first start, and a server certificate
 * ({@value #SERVER_CERTIFICATE} with the chain, {@value #SERVER_KEY}) issued by it. Clients trust
 * {@value #CA_CERTIFICATE}. The CA is kept across restarts, so that trust survives; the server
 * certificate is reissued from it when the configured names change or it nears expiry.
 */
public final class DevPki {
  public static final String CA_CERTIFICATE = "ca.pem";
  public static final String CA_KEY = "ca-key.pem";
  public static final String SERVER_CERTIFICATE = "server.pem";
  public static final String SERVER_KEY = "server-key.pem";

  static final Duration CA_VALIDITY = Duration.ofDays(3650);
  static final Duration SERVER_VALIDITY = Duration.ofDays(365);
  static final Duration RENEW_BEFORE = Duration.ofDays(30);

  private static final Logger log = LoggerFactory.getLogger(DevPki.class);

  private record Ca(X509Certificate certificate, PrivateKey key) {}

  private final Path directory;
  private final Clock clock;
  private final SecureRandom random;
  private final CertificateIssuer issuer;

  public DevPki(Path directory, Clock clock) {
    this(directory, clock, new SecureRandom());
  }

  DevPki(Path directory, Clock clock, SecureRandom random) {
    this.directory = directory;
    this.clock = clock;
    this.random = random;
    this.issuer = new CertificateIssuer(clock, random);
  }

  /** Creates what is missing, reissues the server certificate if needed, and returns the server's material. */
  public TlsMaterial loadOrCreate(ServerNames names) {
    createDirectory();
    Ca ca = loadOrCreateCa();
    return loadOrIssueServer(ca, names);
  }

  /** The file clients must trust. */
  public Path caCertificateFile() {
    return directory.resolve(CA_CERTIFICATE);
  }

  public Path directory() {
    return directory;
  }

  private Ca loadOrCreateCa() {
    Path certFile = directory.resolve(CA_CERTIFICATE);
    Path keyFile = directory.resolve(CA_KEY);
    // ca.pem is written last, so it marks a complete CA: without it, whatever is there is a torn first start.
    if (!Files.exists(certFile)) {
      KeyPair keys = issuer.newKeyPair();
      String name = "Gatehouse Development CA " + HexFormat.of().formatHex(randomBytes(4));
      X509Certificate certificate = issuer.issueCa(keys, name, CA_VALIDITY);
      PemFiles.writeAtomically(keyFile, PemFiles.toPem(keys.getPrivate()), PemFiles.OWNER_ONLY);
      PemFiles.writeAtomically(certFile, Certificates.toPem(certificate), PemFiles.WORLD_READABLE);
      log.info("Created development CA '{}' (SHA-256 {}) in {}; clients must trust {}", name,
          Certificates.sha256Thumbprint(certificate), directory, certFile);
      return new Ca(certificate, keys.getPrivate());
    }
    if (!Files.exists(keyFile)) {
      throw new TlsConfigurationException(certFile + " exists but " + keyFile + " is missing, so no server"
          + " certificate can be issued; restore " + keyFile + ", or delete " + certFile + " to create a new"
          + " development CA (clients must then trust the new one)");
    }
    X509Certificate certificate = PemFiles.readCertificates(certFile).get(0);
    PrivateKey key = PemFiles.readPrivateKey(keyFile);
    if (!KeyPairs.matches(key, certificate.getPublicKey())) {
      throw new TlsConfigurationException(keyFile + " is not the key of " + certFile + "; restore the matching"
          + " pair, or delete both to create a new development CA (clients must then trust the new one)");
    }
    Instant expiry = certificate.getNotAfter().toInstant();
    if (!expiry.isAfter(clock.instant())) {
      throw new TlsConfigurationException("the development CA in " + certFile + " expired at " + expiry
          + "; delete " + certFile + " and " + keyFile + " to create a new one (clients must then trust it)");
    }
    warnIfReadableByOthers(keyFile);
    return new Ca(certificate, key);
  }

  private TlsMaterial loadOrIssueServer(Ca ca, ServerNames names) {
    Path certFile = directory.resolve(SERVER_CERTIFICATE);
    Path keyFile = directory.resolve(SERVER_KEY);
    List<String> reasons = new ArrayList<>();
    if (Files.exists(certFile) && Files.exists(keyFile)) {
      X509Certificate current = PemFiles.readCertificates(certFile).get(0);
      PrivateKey currentKey = PemFiles.readPrivateKey(keyFile);
      reasons.addAll(reasonsToReissue(current, currentKey, ca, names));
      if (reasons.isEmpty()) {
        warnIfReadableByOthers(keyFile);
        return material(currentKey, current, ca);
      }
    } else {
      reasons.add("there is no server certificate yet");
    }
    KeyPair keys = issuer.newKeyPair();
    X509Certificate certificate = issuer.issueServer(keys.getPublic(), names, ca.certificate(), ca.key(), SERVER_VALIDITY);
    // Key first: server.pem names the pair, so a crash in between leaves a pair that is reissued next start.
    PemFiles.writeAtomically(keyFile, PemFiles.toPem(keys.getPrivate()), PemFiles.OWNER_ONLY);
    PemFiles.writeAtomically(certFile, Certificates.toPem(certificate) + Certificates.toPem(ca.certificate()),
        PemFiles.WORLD_READABLE);
    log.info("Issued development server certificate for {} and {} valid until {} ({})", names.dnsNames(),
        names.ipAddresses().size() + " IP address(es)", certificate.getNotAfter().toInstant(), String.join("; ", reasons));
    return material(keys.getPrivate(), certificate, ca);
  }

  private List<String> reasonsToReissue(X509Certificate current, PrivateKey currentKey, Ca ca, ServerNames names) {
    List<String> reasons = new ArrayList<>();
    try {
      current.verify(ca.certificate().getPublicKey());
    } catch (GeneralSecurityException e) {
      reasons.add("the server certificate was not issued by the development CA in " + CA_CERTIFICATE);
    }
    if (!KeyPairs.matches(currentKey, current.getPublicKey())) {
      reasons.add(SERVER_KEY + " does not match " + SERVER_CERTIFICATE);
    }
    List<String> missing = names.missingFrom(current);
    if (!missing.isEmpty()) {
      reasons.add("the server certificate does not name " + String.join(", ", missing));
    }
    Instant renewAt = current.getNotAfter().toInstant().minus(RENEW_BEFORE);
    if (!clock.instant().isBefore(renewAt)) {
      reasons.add("the server certificate expires at " + current.getNotAfter().toInstant());
    }
    return reasons;
  }

  private TlsMaterial material(PrivateKey key, X509Certificate server, Ca ca) {
    return new TlsMaterial(key, List.of(server, ca.certificate()), "development PKI in " + directory);
  }

  private void createDirectory() {
    try {
      if (!Files.isDirectory(directory)) {
        Files.createDirectories(directory);
        if (Files.getFileStore(directory).supportsFileAttributeView(PosixFileAttributeView.class)) {
          Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        }
      }
    } catch (IOException e) {
      throw new TlsConfigurationException("cannot create the TLS directory " + directory + ": " + e.getMessage(), e);
    }
  }

  private void warnIfReadableByOthers(Path keyFile) {
    try {
      if (Files.getFileStore(keyFile).supportsFileAttributeView(PosixFileAttributeView.class)) {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(keyFile);
        if (!PemFiles.OWNER_ONLY.containsAll(permissions)) {
          log.warn("{} is accessible to other users ({}); restrict it with 'chmod 600 {}'", keyFile,
              PosixFilePermissions.toString(permissions), keyFile);
        }
      }
    } catch (IOException e) {
      log.debug("cannot check the permissions of {}", keyFile, e);
    }
  }

  private byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    random.nextBytes(bytes);
    return bytes;
  }
}
