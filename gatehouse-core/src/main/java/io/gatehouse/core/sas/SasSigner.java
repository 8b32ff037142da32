package io.gatehouse.core.sas;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Creates SAS tokens as Azure IoT Hub and its SDKs do. */
public final class SasSigner {
  private static final int MAC_BYTES = 32;

  /**
   * Computes HMAC-SHA256 over a token's string-to-sign. A key held in memory is one form; a key
   * that never leaves a TPM is another: the TPM computes the MAC, so the key bytes are never here.
   */
  @FunctionalInterface
  public interface HmacSha256 {
    byte[] mac(byte[] stringToSign);
  }

  private SasSigner() {}

  /** HMAC-SHA256 over {@code sr + "\n" + se}, exactly as both appear in the token text. */
  public static byte[] mac(byte[] key, String resourceAsSent, String expiryAsSent) {
    return softwareHmac(key).mac(stringToSign(resourceAsSent, expiryAsSent));
  }

  /** The bytes a SAS signature covers: {@code sr} and {@code se} as sent, joined by a newline. */
  public static byte[] stringToSign(String resourceAsSent, String expiryAsSent) {
    return (resourceAsSent + "\n" + expiryAsSent).getBytes(StandardCharsets.UTF_8);
  }

  /** HMAC-SHA256 with a key in memory (the JDK's implementation). */
  public static HmacSha256 softwareHmac(byte[] key) {
    SecretKeySpec spec = new SecretKeySpec(key, "HmacSHA256");
    return data -> {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(spec);
        return mac.doFinal(data);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
      }
    };
  }

  /**
   * A token for {@code resource} (e.g. {@code hub.example.net/devices/dev1}, or the host name alone
   * for a service), with {@code sr} percent-encoded as the C SDK and the docs send it.
   *
   * @param keyName the {@code skn} field, or {@code null} for a device-key token
   */
  public static String token(String resource, byte[] key, Instant expiry, String keyName) {
    return token(resource, softwareHmac(key), expiry, keyName);
  }

  /**
   * The same token, with the MAC computed by {@code hmac}: e.g. inside a TPM that holds the key.
   *
   * @param keyName the {@code skn} field, or {@code null} for a device-key token
   */
  public static String token(String resource, HmacSha256 hmac, Instant expiry, String keyName) {
    String sr = PercentCodec.encode(resource);
    String se = Long.toString(expiry.getEpochSecond());
    byte[] mac = hmac.mac(stringToSign(sr, se));
    if (mac == null || mac.length != MAC_BYTES) {
      throw new IllegalStateException("the HMAC-SHA256 signer returned "
          + (mac == null ? "nothing" : mac.length + " bytes") + " instead of " + MAC_BYTES);
    }
    String sig = Base64.getEncoder().encodeToString(mac);
    String token = SasToken.PREFIX + "sr=" + sr + "&sig=" + PercentCodec.encode(sig) + "&se=" + se;
    return keyName == null ? token : token + "&skn=" + PercentCodec.encode(keyName);
  }
}
