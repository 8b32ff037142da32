package io.gatehouse.edge.local;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The local credentials of the leaves: leaf id → password. Only SHA-256 hashes of the passwords are
 * kept, and they are compared in constant time ({@link MessageDigest#isEqual} on equal-length
 * hashes), so neither the password's content nor its length leaks through timing. An unknown leaf
 * is checked against a random hash, costing the same as a known one. Never prints a password.
 *
 * <p>Leaf ids are used in topic names, so they must be 1 to 128 characters without {@code /},
 * {@code +}, {@code #}, whitespace or control characters.
 */
public final class LeafCredentials {
  /** The outcome of a check; the client is told only accepted or not. */
  public enum Verdict { ACCEPTED, UNKNOWN_LEAF, WRONG_PASSWORD }

  public static final int MAX_LEAF_ID_LENGTH = 128;

  private final Map<String, byte[]> hashes;
  private final byte[] decoy;

  private LeafCredentials(Map<String, byte[]> hashes, byte[] decoy) {
    this.hashes = hashes;
    this.decoy = decoy;
  }

  /**
   * @throws IllegalArgumentException for an invalid leaf id or an empty password (the message
   *     names the leaf, never the password)
   */
  public static LeafCredentials of(Map<String, String> passwordsByLeaf) {
    Objects.requireNonNull(passwordsByLeaf, "passwordsByLeaf");
    Map<String, byte[]> hashes = new HashMap<>();
    passwordsByLeaf.forEach((leafId, password) -> {
      checkLeafId(leafId);
      if (password == null || password.isEmpty()) {
        throw new IllegalArgumentException("leaf " + leafId + " has no password; give every leaf a local password");
      }
      hashes.put(leafId, sha256(password.getBytes(StandardCharsets.UTF_8)));
    });
    byte[] decoy = new byte[32];
    new SecureRandom().nextBytes(decoy);
    return new LeafCredentials(Map.copyOf(hashes), decoy);
  }

  /** Checks a password as sent by the leaf (UTF-8 bytes); null counts as wrong. */
  public Verdict check(String leafId, byte[] password) {
    byte[] expected = leafId == null ? null : hashes.get(leafId);
    byte[] presented = sha256(password == null ? new byte[0] : password);
    boolean equal = MessageDigest.isEqual(expected == null ? decoy : expected, presented);
    if (expected == null) {
      return Verdict.UNKNOWN_LEAF;
    }
    return equal && password != null ? Verdict.ACCEPTED : Verdict.WRONG_PASSWORD;
  }

  public boolean knows(String leafId) {
    return hashes.containsKey(leafId);
  }

  public Set<String> leafIds() {
    return hashes.keySet();
  }

  /**
   * @throws IllegalArgumentException if the id cannot be a leaf id (and so a topic level)
   */
  public static void checkLeafId(String leafId) {
    if (leafId == null || leafId.isEmpty() || leafId.length() > MAX_LEAF_ID_LENGTH) {
      throw new IllegalArgumentException("a leaf id must be 1 to " + MAX_LEAF_ID_LENGTH + " characters, got '"
          + leafId + "'");
    }
    for (int i = 0; i < leafId.length(); i++) {
      char c = leafId.charAt(i);
      if (c == '/' || c == '+' || c == '#' || Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw new IllegalArgumentException("leaf id '" + leafId + "' contains '" + c
            + "'; use letters, digits, '-', '_', '.' or ':'");
      }
    }
  }

  @Override
  public String toString() {
    return "LeafCredentials[" + hashes.size() + " leaves]";
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
