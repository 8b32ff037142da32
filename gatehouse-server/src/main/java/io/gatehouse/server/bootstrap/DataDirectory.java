package io.gatehouse.server.bootstrap;

import io.gatehouse.core.crypto.MasterKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The files of one installation. Secrets (master key, operator credential, private keys) are
 * written owner-only (0600) and atomically, so a crash never leaves a half-written secret.
 */
public final class DataDirectory {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private final Path root;

  public DataDirectory(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  public Path database() {
    return root.resolve("gatehouse.db");
  }

  /** The telemetry log: its own file and writer, so registry writes never queue behind telemetry. */
  public Path telemetryDatabase() {
    return root.resolve("telemetry.db");
  }

  public Path masterKey() {
    return root.resolve("master.key");
  }

  public Path caCertificate() {
    return root.resolve("ca.pem");
  }

  public Path operatorCredential() {
    return root.resolve("operator.credential");
  }

  public Path cliConfig() {
    return root.resolve("cli.json");
  }

  public void create() {
    try {
      Files.createDirectories(root);
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + root + ": " + e.getMessage(), e);
    }
  }

  /** Loads the master key, creating it on first start. */
  public MasterKey loadOrCreateMasterKey(SecureRandom random) {
    Path file = masterKey();
    try {
      if (Files.exists(file)) {
        byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
        return new MasterKey(key);
      }
      MasterKey key = MasterKey.generate(random);
      writeSecret(file, Base64.getEncoder().encodeToString(key.encoded()) + "\n");
      return key;
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("master key " + file + " is damaged (" + e.getMessage()
          + "); restore it from backup: without it the stored keys cannot be read", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the master key " + file + ": " + e.getMessage(), e);
    }
  }

  public void writeSecret(Path file, String content) {
    write(file, content, true);
  }

  public void writePublic(Path file, String content) {
    write(file, content, false);
  }

  private static void write(Path file, String content, boolean secret) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(tmp, secret && posix()
          ? new java.nio.file.attribute.FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
          : new java.nio.file.attribute.FileAttribute<?>[0]);
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
