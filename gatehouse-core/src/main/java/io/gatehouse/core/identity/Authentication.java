package io.gatehouse.core.identity;

import io.gatehouse.core.error.InvalidInputException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/** How a device or edge proves who it is. */
public sealed interface Authentication {

  String type();

  /**
   * Two base64 symmetric keys; either one signs valid SAS tokens, which lets a fleet move from one
   * key to the other without downtime. Keys are secrets: {@link #toString()} never shows them.
   */
  record SymmetricKeys(String primaryKey, String secondaryKey) implements Authentication {
    public static final int MIN_KEY_BYTES = 16;
    public static final int MAX_KEY_BYTES = 64;

    public SymmetricKeys {
      requireKey("primaryKey", primaryKey);
      requireKey("secondaryKey", secondaryKey);
    }

    @Override
    public String type() {
      return "sas";
    }

    public byte[] primaryKeyBytes() {
      return Base64.getDecoder().decode(primaryKey);
    }

    public byte[] secondaryKeyBytes() {
      return Base64.getDecoder().decode(secondaryKey);
    }

    @Override
    public String toString() {
      return "SymmetricKeys[redacted]";
    }

    private static void requireKey(String name, String key) {
      if (key == null || key.isEmpty()) {
        throw new InvalidInputException(name + " is missing");
      }
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(key);
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException(name + " is not valid base64");
      }
      if (bytes.length < MIN_KEY_BYTES || bytes.length > MAX_KEY_BYTES) {
        throw new InvalidInputException(name + " decodes to " + bytes.length + " bytes; it must be "
            + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES + " bytes");
      }
    }
  }

  /** A self-signed (or otherwise pinned) client certificate, matched by SHA-256 thumbprint. */
  record X509Thumbprints(String primaryThumbprint, String secondaryThumbprint) implements Authentication {
    public X509Thumbprints {
      primaryThumbprint = normalise("primaryThumbprint", primaryThumbprint, true);
      secondaryThumbprint = normalise("secondaryThumbprint", secondaryThumbprint, false);
    }

    @Override
    public String type() {
      return "x509-thumbprint";
    }

    public boolean matches(String sha256Hex) {
      String candidate = sha256Hex.toLowerCase(Locale.ROOT);
      return candidate.equals(primaryThumbprint) || candidate.equals(secondaryThumbprint);
    }

    private static String normalise(String name, String value, boolean required) {
      if (value == null || value.isEmpty()) {
        if (required) {
          throw new InvalidInputException(name + " is missing");
        }
        return null;
      }
      String hex = value.replace(":", "").toLowerCase(Locale.ROOT);
      if (hex.length() != 64) {
        throw new InvalidInputException(name + " must be a SHA-256 thumbprint: 64 hex digits");
      }
      try {
        HexFormat.of().parseHex(hex);
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException(name + " must be a SHA-256 thumbprint: 64 hex digits");
      }
      return hex;
    }
  }

  /** A client certificate issued by a CA registered with the gateway, whose subject CN is the id. */
  record X509CaSigned() implements Authentication {
    @Override
    public String type() {
      return "x509-ca";
    }
  }
}
