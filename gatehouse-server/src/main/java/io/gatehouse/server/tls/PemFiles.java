package io.gatehouse.server.tls;

import io.gatehouse.core.x509.KeyMaterialException;
import io.gatehouse.core.x509.Pem;
import java.io.IOException;
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
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Reading and writing the PEM files of the TLS material; the parsing itself is core's {@link Pem}.
 */
final class PemFiles {
  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");

  private PemFiles() {}

  /** All certificates in a PEM file, in file order; other blocks (e.g. a key) are skipped. */
  static List<X509Certificate> readCertificates(Path file) {
    String text = read(file, "certificate file");
    try {
      return Pem.certificates(text, file.toString());
    } catch (KeyMaterialException e) {
      throw new TlsConfigurationException(e.getMessage(), e);
    }
  }

  /** The first private key in a PEM file: PKCS#8, SEC1 ("EC PRIVATE KEY") or PKCS#1 ("RSA PRIVATE KEY"). */
  static PrivateKey readPrivateKey(Path file) {
    String text = read(file, "private key file");
    try {
      return Pem.privateKey(text, file.toString());
    } catch (KeyMaterialException e) {
      throw new TlsConfigurationException(e.getMessage(), e);
    }
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

  private static String read(Path file, String what) {
    try {
      // ISO-8859-1 maps every byte, so stray non-ASCII text outside the PEM blocks cannot fail decoding.
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new TlsConfigurationException(what + " " + file + " does not exist");
    } catch (IOException e) {
      throw new TlsConfigurationException("cannot read the " + what + " " + file + ": " + e.getMessage(), e);
    }
  }
}
