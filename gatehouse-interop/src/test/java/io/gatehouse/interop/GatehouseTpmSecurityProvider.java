package io.gatehouse.interop;

import com.microsoft.azure.sdk.iot.provisioning.security.SecurityProviderTpm;
import com.microsoft.azure.sdk.iot.provisioning.security.exceptions.SecurityProviderException;
import io.gatehouse.device.tpm.ActivationException;
import io.gatehouse.device.tpm.TpmIdentity;
import javax.net.ssl.SSLContext;

/**
 * Azure's TPM security provider, backed by the Gatehouse device SDK: what a device written for
 * Azure DPS plugs in to keep its keys in a TPM. Every TPM operation is {@link TpmIdentity}'s; the
 * registration id is the base class's own (base32 of the EK's hash), so the test also checks that
 * both sides derive the same one.
 */
final class GatehouseTpmSecurityProvider extends SecurityProviderTpm {
  private final TpmIdentity tpm;
  private final SSLContext trust;

  GatehouseTpmSecurityProvider(TpmIdentity tpm, SSLContext trust) {
    this.tpm = tpm;
    this.trust = trust;
  }

  /** The DPS authenticationKey (already base64-decoded by the client): imported into the TPM. */
  @Override
  public byte[] activateIdentityKey(byte[] key) throws SecurityProviderException {
    try {
      tpm.activateAndImport(key);
    } catch (ActivationException e) {
      // The client reports the provider's message; keep the reason (e.g. UNSAFE_IDENTITY_KEY) in it.
      throw new SecurityProviderException("the TPM refused the authentication key: " + e.getMessage(), e);
    }
    return new byte[0]; // the client ignores the result
  }

  @Override
  public byte[] getEndorsementKey() {
    return tpm.endorsementKey();
  }

  @Override
  public byte[] getStorageRootKey() {
    return tpm.storageRootKey();
  }

  @Override
  public byte[] signWithIdentity(byte[] data) {
    return tpm.hmac(data);
  }

  @Override
  public SSLContext getSSLContext() {
    return trust;
  }
}
