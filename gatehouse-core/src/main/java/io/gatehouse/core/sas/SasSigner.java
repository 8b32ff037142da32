package io.gatehouse.core.sas;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Creates SAS tokens as Azure IoT Hub and its SDKs do. */
public final class SasSigner {
  private SasSigner() {}

  /** HMAC-SHA256 over {@code sr + "\n" + se}, exactly as both appear in the token text. */
  public static byte[] mac(byte[] key, String resourceAsSent, String expiryAsSent) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal((resourceAsSent + "\n" + expiryAsSent).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
    }
  }

  /**
   * A token for {@code resource} (e.g. {@code hub.example.net/devices/dev1}, or the host name alone
   * for a service), with {@code sr} percent-encoded as the C SDK and the docs send it.
   *
   * @param keyName the {@code skn} field, or {@code null} for a device-key token
   */
  public static String token(String resource, byte[] key, Instant expiry, String keyName) {
    String sr = PercentCodec.encode(resource);
    String se = Long.toString(expiry.getEpochSecond());
    String sig = Base64.getEncoder().encodeToString(mac(key, sr, se));
    String token = SasToken.PREFIX + "sr=" + sr + "&sig=" + PercentCodec.encode(sig) + "&se=" + se;
    return keyName == null ? token : token + "&skn=" + PercentCodec.encode(keyName);
  }
}
