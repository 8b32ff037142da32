package io.gatehouse.device.tpm;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * The registration id a TPM device uses unless told otherwise, as Azure's SDKs derive it: base32
 * (RFC 4648) of SHA-256 over the EK's TPM2B_PUBLIC bytes, in lower case, without padding. It fits
 * DPS's {@code ^[a-z0-9-]{1,128}$}: 52 characters from {@code a-z} and {@code 2-7}.
 */
public final class RegistrationIds {
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

  private RegistrationIds() {}

  public static String fromEndorsementKey(byte[] endorsementKeyTpm2bPublic) {
    try {
      return base32(MessageDigest.getInstance("SHA-256").digest(endorsementKeyTpm2bPublic));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is unavailable in this JVM", e);
    }
  }

  /** RFC 4648 base32, lower case, padding left off. */
  static String base32(byte[] data) {
    StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(ALPHABET[(buffer >>> (bits - 5)) & 0x1f]);
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(ALPHABET[(buffer << (5 - bits)) & 0x1f]);
    }
    return out.toString();
  }
}
