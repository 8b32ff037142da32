package io.gatehouse.server.provisioning.tpm;

import java.util.Base64;
import java.util.HexFormat;

/**
 * The DPS {@code authenticationKey}: an HMAC key protected so that only one TPM can import it.
 * Six TPM2B structures back to back: the credential blob and its seed (MakeCredential to the
 * endorsement key, bound to the storage root key's Name, protecting the 16-byte inner wrapper
 * key), the duplicate of the identity key and its seed (outer wrapper to the storage root key),
 * the identity key's public area, and opaque data encrypted with the inner key.
 *
 * <p>It carries no secret in the clear; a device that is not the enrolled TPM can do nothing with it.
 *
 * @param identityKeyName the imported key's TPM Name (SHA-256), e.g. for an audit line
 */
public record AuthenticationKeyBlob(byte[] bytes, byte[] identityKeyName) {
  public AuthenticationKeyBlob {
    bytes = bytes.clone();
    identityKeyName = identityKeyName.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public byte[] identityKeyName() {
    return identityKeyName.clone();
  }

  /** The form DPS sends in the 401 body and in {@code registrationState.tpm.authenticationKey}. */
  public String base64() {
    return Base64.getEncoder().encodeToString(bytes);
  }

  @Override
  public String toString() {
    return "AuthenticationKeyBlob[" + bytes.length + " bytes, identity key name "
        + HexFormat.of().formatHex(identityKeyName) + "]";
  }
}
