package io.gatehouse.device.keys;

import io.gatehouse.core.sas.SasSigner;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;

/**
 * A device's keys, used without being seen: an HMAC-SHA256 identity key that signs SAS tokens,
 * and an ECC P-256 key for proof of possession. A TPM holds them ({@code TpmIdentity}), or, for
 * development, this process does ({@link InsecureSoftwareKeyStore}); {@link #kind()} says which.
 */
public interface DeviceKeys extends AutoCloseable {
  KeyStoreKind kind();

  /** HMAC-SHA256 of {@code data} with the identity key. */
  byte[] hmac(byte[] data);

  /**
   * A SAS token for {@code resourceUri} (e.g. {@code hub.example.net/devices/dev1} or
   * {@code 0ne00000001/registrations/reg1}), signed with the identity key, in Azure's format:
   * {@code sr} percent-encoded as Azure's TPM provider sends it.
   */
  default String sasToken(String resourceUri, Instant expiry) {
    return SasSigner.token(resourceUri, this::hmac, expiry, null);
  }

  /** The same with a {@code skn} field, e.g. {@code registration} as DPS's docs ask for. */
  default String sasToken(String resourceUri, Instant expiry, String keyName) {
    return SasSigner.token(resourceUri, this::hmac, expiry, keyName);
  }

  ECPublicKey signingPublicKey();

  /** Signs a SHA-256 digest with the P-256 key; DER-encoded, as {@code SHA256withECDSA} verifies it. */
  byte[] sign(byte[] sha256Digest);

  @Override
  void close();
}
