package io.gatehouse.core.provisioning;

import io.gatehouse.core.error.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Device keys of a symmetric-key enrollment group, as Azure DPS derives them: base64 of
 * HMAC-SHA256 keyed with the decoded group key over the UTF-8 registration id, exactly as the
 * device sends it. A device holds only its derived key, never the group key.
 */
public final class GroupKeys {
  private GroupKeys() {}

  public static String derive(String groupKeyBase64, String registrationId) {
    return Base64.getEncoder().encodeToString(deriveBytes(decode(groupKeyBase64), registrationId));
  }

  public static byte[] deriveBytes(byte[] groupKey, String registrationId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(groupKey, "HmacSHA256"));
      return mac.doFinal(registrationId.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
    }
  }

  private static byte[] decode(String base64) {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("group key is not valid base64");
    }
  }
}
