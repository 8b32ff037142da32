package io.gatehouse.server.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reading and writing the PEM files of the TLS material. BouncyCastle only parses; keys and
 * certificates are built by the JDK's own providers, so no global security provider is installed.
 */
final class PemFiles {
  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");

  private PemFiles() {}

  /** All certificates in a PEM file, in file order; other blocks (e.g. a key) are skipped. */
  static List<X509Certificate> readCertificates(Path file) {
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    List<X509Certificate> certificates = new ArrayList<>();
    try (PEMParser parser = new PEMParser(reader(file))) {
      for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
        if (block instanceof X509CertificateHolder holder) {
          certificates.add(converter.getCertificate(holder));
        }
      }
    } catch (NoSuchFileException e) {
      throw new TlsConfigurationException("certificate file " + file + " does not exist");
    } catch (IOException | CertificateException e) {
      throw new TlsConfigurationException("cannot read certificates from " + file + ": " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new TlsConfigurationException("no '-----BEGIN CERTIFICATE-----' block in " + file
          + " (DER files are not supported; convert with 'openssl x509 -inform der')");
    }
    return List.copyOf(certificates);
  }

  /** The first private key in a PEM file: PKCS#8, SEC1 ("EC PRIVATE KEY") or PKCS#1 ("RSA PRIVATE KEY"). */
  static PrivateKey readPrivateKey(Path file) {
    try (PEMParser parser = new PEMParser(reader(file))) {
      for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
        switch (block) {
          case PrivateKeyInfo info -> {
            return toPrivateKey(info, file);
          }
          case PEMKeyPair pair -> {
            return toPrivateKey(pair.getPrivateKeyInfo(), file);
          }
          case PEMEncryptedKeyPair ignored -> throw encrypted(file);
          case PKCS8EncryptedPrivateKeyInfo ignored -> throw encrypted(file);
          default -> {
            // certificates, "EC PARAMETERS" and the like may share the file; keep looking
          }
        }
      }
    } catch (NoSuchFileException e) {
      throw new TlsConfigurationException("private key file " + file + " does not exist");
    } catch (IOException e) {
      throw new TlsConfigurationException("cannot read the private key from " + file + ": " + e.getMessage(), e);
    }
    throw new TlsConfigurationException("no private key in " + file + " (expected a 'BEGIN PRIVATE KEY',"
        + " 'BEGIN EC PRIVATE KEY' or 'BEGIN RSA PRIVATE KEY' block)");
  }

  static String toPem(PrivateKey key) {
    // JDK keys encode as PKCS#8, which is what "BEGIN PRIVATE KEY" means.
    return pem("PRIVATE KEY", key.getEncoded());
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /**
   * Replaces {@code target} so that readers see either the old or the new file, never a torn one,
   * and so that a secret is never on disk, even briefly, with wider permissions than {@code permissions}.
   */
  static void writeAtomically(Path target, String content, Set<PosixFilePermission> permissions) {
    Path directory = target.toAbsolutePath().getParent();
    Path temp = null;
    try {
      boolean posix = Files.getFileStore(directory).supportsFileAttributeView(PosixFileAttributeView.class);
      FileAttribute<?>[] ownerOnly = posix
          ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
          : new FileAttribute<?>[0];
      temp = Files.createTempFile(directory, "." + target.getFileName() + ".", ".tmp", ownerOnly);
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII));
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        channel.force(true);
      }
      if (posix) {
        Files.setPosixFilePermissions(temp, permissions);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      temp = null;
    } catch (IOException e) {
      throw new TlsConfigurationException("cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // best effort; the write itself has already failed and says so
        }
      }
    }
  }

  private static PrivateKey toPrivateKey(PrivateKeyInfo info, Path file) {
    ASN1ObjectIdentifier oid = info.getPrivateKeyAlgorithm().getAlgorithm();
    String algorithm;
    if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      algorithm = "EC";
    } else if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)) {
      algorithm = "RSA";
    } else if (oid.equals(EdECObjectIdentifiers.id_Ed25519)) {
      algorithm = "Ed25519";
    } else if (oid.equals(EdECObjectIdentifiers.id_Ed448)) {
      algorithm = "Ed448";
    } else {
      throw new TlsConfigurationException("the private key in " + file + " has algorithm " + oid.getId()
          + "; only EC, RSA and EdDSA keys are supported");
    }
    try {
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    } catch (GeneralSecurityException | IOException e) {
      throw new TlsConfigurationException("the " + algorithm + " private key in " + file + " cannot be used: "
          + e.getMessage(), e);
    }
  }

  private static TlsConfigurationException encrypted(Path file) {
    return new TlsConfigurationException("the private key in " + file + " is encrypted; Gatehouse needs it"
        + " unencrypted (e.g. 'openssl pkcs8 -topk8 -nocrypt -in encrypted.pem -out key.pem') and protected by"
        + " file permissions (chmod 600)");
  }

  private static Reader reader(Path file) throws IOException {
    // ISO-8859-1 maps every byte, so stray non-ASCII text outside the PEM blocks cannot fail decoding.
    return Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
  }
}
