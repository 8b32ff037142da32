package io.gatehouse.core.crypto;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The installation's root secret. It is never used directly: each purpose gets its own key derived
 * with HKDF-SHA256, so a key leaked from one use says nothing about the others.
 */
public final class MasterKey {
  public static final int BYTES = 32;
  private final byte[] key;

  public MasterKey(byte[] key) {
    if (key.length != BYTES) {
      throw new IllegalArgumentException("master key must be " + BYTES + " bytes, got " + key.length);
    }
    this.key = key.clone();
  }

  public static MasterKey generate(SecureRandom random) {
    byte[] bytes = new byte[BYTES];
    random.nextBytes(bytes);
    return new MasterKey(bytes);
  }

  public byte[] encoded() {
    return key.clone();
  }

  /** A 256-bit key for one named purpose, e.g. {@code "secrets-at-rest"} or {@code "audit-chain"}. */
  public byte[] derive(String purpose) {
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(key, "gatehouse/v1".getBytes(StandardCharsets.UTF_8),
        purpose.getBytes(StandardCharsets.UTF_8)));
    byte[] out = new byte[32];
    hkdf.generateBytes(out, 0, out.length);
    return out;
  }

  public SecretBox secretBox(SecureRandom random) {
    return new SecretBox(derive("secrets-at-rest"), random);
  }

  @Override
  public String toString() {
    return "MasterKey[redacted]";
  }
}
