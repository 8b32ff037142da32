package io.gatehouse.edge.pipeline;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Maps a device id to the hex prefix of HMAC-SHA256(key, id): stable per key, unlinkable without it. */
final class Pseudonymizer {
  private static final String ALGORITHM = "HmacSHA256";

  /** Not thread-safe, like the pipeline that owns it. */
  private final Mac mac;
  private final int hexLength;

  Pseudonymizer(PseudonymKey key, int hexLength) {
    try {
      this.mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key.bytes(), ALGORITHM));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(ALGORITHM + " is part of every JDK; this runtime lacks it", e);
    }
    this.hexLength = hexLength;
  }

  String pseudonym(String deviceId) {
    byte[] digest = mac.doFinal(deviceId.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest).substring(0, hexLength);
  }
}
