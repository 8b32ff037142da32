package io.gatehouse.server.provisioning.tpm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

/**
 * The TPM 2.0 primitives a server needs to protect a secret for one TPM (TPM 2.0 Part 1, §11.4):
 * KDFa, HMAC, AES in full-block CFB with a zero IV, and RSA-OAEP with the TPM's NUL-terminated
 * labels. All from the JDK; SHA-256 throughout because the keys are checked to use it.
 */
final class TpmCrypto {
  private TpmCrypto() {}

  /** KDFa (SP 800-108 counter mode with HMAC-SHA256), as TPM 2.0 Part 1 §11.4.10.2 defines it. */
  static byte[] kdfa(byte[] key, String label, byte[] contextU, byte[] contextV, int bits) {
    if (bits <= 0 || bits % 8 != 0) {
      throw new IllegalArgumentException("KDFa output must be a whole number of bytes, got " + bits + " bits");
    }
    int bytes = bits / 8;
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes + 32);
    byte[] labelBytes = label.getBytes(StandardCharsets.US_ASCII);
    for (int counter = 1; out.size() < bytes; counter++) {
      out.writeBytes(hmac(key, new TpmWriter().u32(counter).raw(labelBytes).raw(new byte[] {0})
          .raw(contextU).raw(contextV).u32(bits).toBytes()));
    }
    return Arrays.copyOf(out.toByteArray(), bytes);
  }

  static byte[] hmac(byte[] key, byte[]... parts) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      for (byte[] part : parts) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
    }
  }

  /** AES in CFB mode with a 128-bit feedback and an all-zero IV, as the TPM uses for protection. */
  static byte[] aesCfbEncrypt(byte[] key, byte[] data) {
    try {
      Cipher cipher = Cipher.getInstance("AES/CFB/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
      return cipher.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/CFB is unavailable in this JVM", e);
    }
  }

  /**
   * RSA-OAEP with SHA-256 and MGF1-SHA-256, labelled as the TPM expects: the label's ASCII bytes and
   * a terminating zero octet (TPM 2.0 Part 1 §11.4.2: "IDENTITY", "DUPLICATE", "SECRET").
   */
  static byte[] rsaOaepEncrypt(RSAPublicKey key, String label, byte[] data) {
    byte[] ascii = label.getBytes(StandardCharsets.US_ASCII);
    byte[] terminated = Arrays.copyOf(ascii, ascii.length + 1);
    try {
      Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
          new PSource.PSpecified(terminated)));
      return cipher.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA-OAEP with SHA-256 failed: " + e.getMessage(), e);
    }
  }
}
