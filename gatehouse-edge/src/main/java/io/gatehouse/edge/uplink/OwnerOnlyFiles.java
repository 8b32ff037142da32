package io.gatehouse.edge.uplink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** Reads a secret's file only if no one but its owner may read it: the file is the edge's identity. */
final class OwnerOnlyFiles {
  /** Larger than any key or certificate chain an edge uses; a bigger file is a mistake, not a key. */
  private static final long MAX_BYTES = 1 << 20;

  private OwnerOnlyFiles() {}

  /**
   * @param what the file's role, for the messages: "key file", "private key file"
   * @throws IllegalArgumentException if group or others may read it, or it is too large
   * @throws UncheckedIOException if it cannot be read
   */
  static String read(Path file, String what) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (permissions.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
        throw new IllegalArgumentException(what + " " + file + " is readable by others (" + permissions
            + "); chmod 600 it");
      }
      return readSmall(file, what);
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException(what + " " + file + " does not exist", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the " + what + " " + file + ": " + e, e);
    }
  }

  /** A small text file that anyone may read (a certificate), with the same errors as {@link #read}. */
  static String readPublic(Path file, String what) {
    try {
      return readSmall(file, what);
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException(what + " " + file + " does not exist", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the " + what + " " + file + ": " + e, e);
    }
  }

  private static String readSmall(Path file, String what) throws IOException {
    if (Files.size(file) > MAX_BYTES) {
      throw new IllegalArgumentException(what + " " + file + " is larger than " + MAX_BYTES
          + " bytes; is it the right file?");
    }
    // ISO-8859-1 maps every byte, so stray non-ASCII text outside PEM blocks cannot fail decoding.
    return Files.readString(file, StandardCharsets.ISO_8859_1);
  }
}
